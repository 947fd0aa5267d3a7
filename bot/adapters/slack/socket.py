"""Socket Mode: the same app over a websocket, for workspaces without a public URL."""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.adapters.slack.app import build_app
from bot.adapters.slack.jobs import start_jobs, stop_jobs
from bot.services.context import AppContext

log = logging.getLogger(__name__)


def build_handler(context: AppContext) -> AsyncSocketModeHandler:
    """The handler reconnects by itself (slack_sdk's SocketModeClient auto_reconnect_enabled)."""
    return AsyncSocketModeHandler(build_app(context), context.settings.slack_app_token)


async def run_socket(context: AppContext) -> None:
    handler = build_handler(context)
    context.warm_up_in_background()
    log.info("connecting to Slack in Socket Mode")
    tasks = start_jobs(context, handler.app.client)
    try:
        await handler.start_async()  # type: ignore[no-untyped-call]
    finally:
        await stop_jobs(tasks)


def socket(context: AppContext) -> None:
    asyncio.run(run_socket(context))
