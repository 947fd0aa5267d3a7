"""Build the bolt AsyncApp: web client with rate-limit retries, dedupe, error answers, listeners."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.http_session import SharedSession, respond_over
from bot.adapters.slack.listeners import register_all
from bot.services.context import AppContext
from bot.store.events import claim_event

log = logging.getLogger(__name__)
FRIENDLY_ERROR = "Er ging iets mis aan mijn kant. Je invoer is niet opgeslagen; probeer het zo nog eens."
RATE_LIMIT_RETRIES = 3


def build_client(context: AppContext) -> AsyncWebClient:
    settings = context.settings
    client = AsyncWebClient(token=settings.slack_bot_token or None, base_url=settings.slack_api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def delivery_key(body: dict[str, Any]) -> str | None:
    """A key that is the same for every delivery of one Slack request, or None if it has none."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    if body.get("type") == "block_actions" and body.get("actions"):
        return f"action:{body['actions'][0].get('action_ts')}:{body.get('user', {}).get('id')}"
    return None


def build_app(
    context: AppContext, *, client: AsyncWebClient | None = None, session: SharedSession | None = None
) -> AsyncApp:
    """With `session`, the Web API client and every `respond()` use its keep-alive connections."""
    settings = context.settings
    app = AsyncApp(
        client=session.client if session else client or build_client(context),
        signing_secret=settings.slack_signing_secret,
        logger=logging.getLogger("bot.slack"),
    )
    if session is not None:
        app.middleware(respond_over(session))

    @app.middleware
    async def answer_once(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        """Slack retries a delivery it thinks failed (X-Slack-Retry-Num); the retry must not act twice."""
        key = delivery_key(body)
        if key is not None and not claim_event(context.store, key, datetime.now(UTC)):
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

            webhook = session.webhook(response_url) if session else AsyncWebhookClient(response_url)
            await webhook.send(text=FRIENDLY_ERROR, response_type="ephemeral")

    register_all(app, context)
    return app
