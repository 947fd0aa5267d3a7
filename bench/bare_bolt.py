"""The yardstick for bench/bench_http.py: a bare slack-bolt AsyncApp served like `maatwerk serve`.

`/maatwerk` acks at once, then posts one section block to `response_url`; `/maatwerk casus …` posts a
root message and a first "question" in its thread, and a reply in a thread gets the next one (the same
Slack calls as a casus dialogue, without the work; for bench/bench_dialogues_http.py). It is served the same way
as the bot (aiohttp `web.run_app`, POST /slack/events through bolt's aiohttp adapter, GET /healthz,
no access log) against the same Web API (SLACK_API_URL), so the difference in a side-by-side run
is the work the bot does, not the way it is served.

Run: SLACK_BOT_TOKEN=... SLACK_SIGNING_SECRET=... SLACK_API_URL=... python bench/bare_bolt.py PORT
"""

from __future__ import annotations

import os
import sys
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient


def build(token: str, signing_secret: str, api_url: str) -> web.Application:
    bolt = AsyncApp(client=AsyncWebClient(token=token, base_url=api_url), signing_secret=signing_secret)

    @bolt.command("/maatwerk")
    async def command(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        await ack()
        if str(body.get("text", "")).startswith("casus"):
            root = await client.chat_postMessage(channel=body["channel_id"], text="Casus")
            await client.chat_postMessage(channel=body["channel_id"], thread_ts=root["ts"], text="Vraag 1")
            return
        await respond(
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "Signalen bij je beschrijving"}}],
            text="Signalen bij je beschrijving",
        )

    @bolt.event("message")
    async def reply(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("thread_ts") and not event.get("bot_id"):
            await client.chat_postMessage(channel=event["channel"], thread_ts=event["thread_ts"], text="Volgende vraag")

    async def events(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.add_routes([web.post("/slack/events", events), web.get("/healthz", healthz)])
    return app


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 3001
    app = build(os.environ["SLACK_BOT_TOKEN"], os.environ["SLACK_SIGNING_SECRET"], os.environ["SLACK_API_URL"])
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
