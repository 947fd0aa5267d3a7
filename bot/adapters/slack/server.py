"""HTTP mode: bolt on aiohttp at POST /slack/events, plus GET /healthz and GET /metrics."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.app import build_app
from bot.adapters.slack.jobs import start_jobs, stop_jobs
from bot.adapters.slack.metrics import Metrics
from bot.services.context import AppContext

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def _kind(content_type: str, raw: str) -> str:
    """Which kind of Slack request this is, for metrics (never logs its content)."""
    if "json" in content_type:
        try:
            return str(json.loads(raw).get("type", "event"))
        except ValueError:
            return "invalid"
    form = parse_qs(raw)
    if "payload" in form:
        try:
            return str(json.loads(form["payload"][0]).get("type", "interactive"))
        except ValueError:
            return "invalid"
    return "command" if "command" in form else "unknown"


def build_web_app(context: AppContext, app: AsyncApp | None = None) -> web.Application:
    bolt = app or build_app(context)
    metrics = Metrics()

    async def events(request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        bolt_request = await to_bolt_request(request)
        bolt_response = await bolt.async_dispatch(bolt_request)
        response = await to_aiohttp_response(bolt_response)
        kind = _kind(request.content_type, bolt_request.raw_body)
        metrics.observe(kind, response.status, time.perf_counter() - started)
        return response

    async def healthz(_: web.Request) -> web.Response:
        with context.store.read() as db:
            db.execute("SELECT 1").fetchone()
        return web.json_response({"status": "ok"})

    async def metrics_page(_: web.Request) -> web.Response:
        return web.Response(text=metrics.render(), content_type="text/plain", charset="utf-8")

    async def background(_: web.Application) -> AsyncIterator[None]:
        tasks = start_jobs(context, bolt.client)
        yield
        await stop_jobs(tasks)

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz), web.get("/metrics", metrics_page)])
    web_app.cleanup_ctx.append(background)
    return web_app


def serve(context: AppContext, host: str, port: int) -> None:
    log.info("serving Slack events on http://%s:%d%s", host, port, EVENTS_PATH)
    web.run_app(build_web_app(context), host=host, port=port, print=None)
