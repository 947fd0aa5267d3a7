"""Build the bolt AsyncApp: web client with rate-limit retries, dedupe, error answers, listeners."""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.delivery import delivery_key, is_casus_button
from bot.adapters.slack.http_session import SharedSession, respond_over
from bot.adapters.slack.listeners import casus_replies, register_all
from bot.adapters.slack.oauth import oauth_settings
from bot.services.context import AppContext

log = logging.getLogger(__name__)
VERIFIED = "maatwerk_verified"  # set in the bolt context by server.py once a request passed verify.py
FRIENDLY_ERROR = "Er ging iets mis aan mijn kant. Je invoer is niet opgeslagen; probeer het zo nog eens."
RATE_LIMIT_RETRIES = 3


def build_client(context: AppContext) -> AsyncWebClient:
    settings = context.settings
    # With OAuth (many workspaces) the client has no token of its own: bolt gives each request its team's.
    token = None if settings.oauth_enabled else settings.slack_bot_token or None
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def trusted(request: AsyncBoltRequest) -> bool:
    """Whether the request came over Socket Mode or passed our HTTP front: only then is response_url Slack's."""
    return request.mode == "socket_mode" or request.context.get(VERIFIED) is True


def failure_site(error: BaseException) -> str:
    """The innermost frame of our own code as file:line in function, without the exception's message."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if f"{os.sep}bot{os.sep}" in frame.filename] or frames
    if not ours:
        return "unknown"
    frame = ours[-1]
    return f"{os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}"


class AnswerOnce(AsyncMiddleware):
    """Slack retries a delivery it thinks failed (X-Slack-Retry-Num); the retry must not act twice.

    A thread reply is applied here, before Slack is answered: its key and its effect are committed
    together, then the 200 goes out (commit before ack). Casus buttons commit their key with their
    step and ack after it (casus_actions). Other deliveries claim their key first, as before.

    A class (bolt's AsyncMiddleware) rather than a function: bolt builds a function middleware's
    arguments by inspection on every request."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        body = req.body
        key = delivery_key(body)
        if body.get("type") == "event_callback" and casus_replies.is_thread_reply(body.get("event")):
            client = req.context.client
            assert client is not None  # bolt sets it for every request
            await casus_replies.receive(self.context, body, client, key)
            return BoltResponse(status=200, body="")
        if is_casus_button(body):
            return await next()
        deliveries = self.context.store.deliveries()
        if key is not None and not await asyncio.to_thread(deliveries.claim, key, datetime.now(UTC)):
            log.info("duplicate delivery ignored: %s", key.split(":")[0])
            return BoltResponse(status=200, body="")
        return await next()


def build_app(
    context: AppContext,
    *,
    client: AsyncWebClient | None = None,
    session: SharedSession | None = None,
    verify_requests: bool = True,
) -> AsyncApp:
    """With `session`, the Web API client and every `respond()` use its keep-alive connections.
    `verify_requests=False` only behind server.py's front, which has verified every request already."""
    settings = context.settings
    app = AsyncApp(
        name="maatwerk",  # without a name bolt takes this file's from inspect.stack(): 40-70 ms of every start
        client=session.client if session else client or build_client(context),
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=verify_requests,
        oauth_settings=oauth_settings(context),
        logger=logging.getLogger("bot.slack"),
    )
    if session is not None:
        app.middleware(respond_over(session))

    app.middleware(AnswerOnce(context))

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        # Log where it failed, never the message: exception texts and bodies can hold case text.
        log.error("handler failed: %s at %s", type(error).__name__, failure_site(error))
        response_url = body.get("response_url")
        if trusted(request) and isinstance(response_url, str) and response_url.startswith(("https://", "http://")):
            webhook = session.webhook(response_url) if session else AsyncWebhookClient(response_url)
            await webhook.send(text=FRIENDLY_ERROR, response_type="ephemeral")

    register_all(app, context)
    return app
