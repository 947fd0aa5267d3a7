"""One aiohttp ClientSession with keep-alive for all outgoing Slack HTTP: the Web API and response_url.

Without it slack_sdk opens a new session, and so a new TCP (and TLS) connection, for every call and
every `respond()`. The session is opened and closed with the aiohttp app (`server.build_web_app`), inside
its event loop. Until it is open, and after it is closed, the clients fall back to a session per call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from slack_sdk.webhook.webhook_response import WebhookResponse

# Slack answers in well under this; the pool is shared by the Web API and response_url posts.
CONNECTIONS = 100
KEEP_ALIVE_S = 30.0


class SharedSession:
    """Holds the session while the app runs; `client` uses it for the Web API from the moment it opens."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        connector = aiohttp.TCPConnector(limit=CONNECTIONS, keepalive_timeout=KEEP_ALIVE_S)
        self.session = aiohttp.ClientSession(connector=connector)
        # bolt copies app.client.session into the client it builds for each request.
        self.client.session = self.session

    async def close(self) -> None:
        session, self.session = self.session, None
        self.client.session = None
        if session is not None:
            await session.close()

    def webhook(self, url: str) -> AsyncWebhookClient:
        live = self.session if self.session is not None and not self.session.closed else None
        return AsyncWebhookClient(url, session=live)


class SharedRespond(AsyncRespond):
    """bolt's `respond()`, posting to response_url over the shared session (bolt's opens one per call)."""

    def __init__(self, response_url: str, shared: SharedSession) -> None:
        super().__init__(response_url=response_url)
        self.shared = shared

    async def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any] | Block] | None = None,
        attachments: Sequence[dict[str, Any] | Attachment] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        if isinstance(text, dict):
            message = _build_message(**text)
        else:
            message = _build_message(
                text=text,
                blocks=blocks,
                attachments=attachments,
                response_type=response_type,
                replace_original=replace_original,
                delete_original=delete_original,
                unfurl_links=unfurl_links,
                unfurl_media=unfurl_media,
                thread_ts=thread_ts,
                metadata=metadata,
            )
        return await self.shared.webhook(str(self.response_url)).send_dict(message)


class RespondOver(AsyncMiddleware):
    """A global bolt middleware that gives every listener a `respond()` over the shared session.

    A class (bolt's AsyncMiddleware) rather than a function: bolt builds a function middleware's
    arguments by inspection on every request."""

    def __init__(self, shared: SharedSession) -> None:
        self.shared = shared

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        response_url = req.context.response_url
        if response_url:
            req.context["respond"] = SharedRespond(response_url, self.shared)
        return await next()


def respond_over(shared: SharedSession) -> RespondOver:
    return RespondOver(shared)
