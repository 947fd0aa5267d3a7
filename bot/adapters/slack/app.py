"""Build the bolt AsyncApp: web client with rate-limit retries, dedupe, error answers, listeners."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.delivery import delivery_key, is_casus_button
from bot.adapters.slack.listeners import casus_replies, register_all
from bot.services.context import AppContext

log = logging.getLogger(__name__)
FRIENDLY_ERROR = "Er ging iets mis aan mijn kant. Je invoer is niet opgeslagen; probeer het zo nog eens."
RATE_LIMIT_RETRIES = 3


def build_client(context: AppContext) -> AsyncWebClient:
    settings = context.settings
    client = AsyncWebClient(token=settings.slack_bot_token or None, base_url=settings.slack_api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(context: AppContext, *, client: AsyncWebClient | None = None) -> AsyncApp:
    settings = context.settings
    app = AsyncApp(
        client=client or build_client(context),
        signing_secret=settings.slack_signing_secret,
        logger=logging.getLogger("bot.slack"),
    )

    @app.middleware
    async def answer_once(
        body: dict[str, Any], client: AsyncWebClient, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Slack retries a delivery it thinks failed (X-Slack-Retry-Num); the retry must not act twice.

        A thread reply is applied here, before Slack is answered: its key and its effect are committed
        together, then the 200 goes out (commit before ack). Casus buttons commit their key with their
        step and ack after it (casus_actions). Other deliveries claim their key first, as before."""
        key = delivery_key(body)
        if body.get("type") == "event_callback" and casus_replies.is_thread_reply(body.get("event")):
            await casus_replies.receive(context, body, client, key)
            return BoltResponse(status=200, body="")
        if is_casus_button(body):
            await next()
            return None
        deliveries = context.store.deliveries()
        if key is not None and not await asyncio.to_thread(deliveries.claim, key, datetime.now(UTC)):
            log.info("duplicate delivery ignored: %s", key.split(":")[0])
            return BoltResponse(status=200, body="")
        await next()
        return None

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # Log the kind of failure only: bodies can contain case text with personal data.
        log.error("handler failed: %s", type(error).__name__, exc_info=(type(error), error, error.__traceback__))
        response_url = body.get("response_url")
        if isinstance(response_url, str) and response_url:
            from slack_sdk.webhook.async_client import AsyncWebhookClient

            await AsyncWebhookClient(response_url).send(text=FRIENDLY_ERROR, response_type="ephemeral")

    register_all(app, context)
    return app
