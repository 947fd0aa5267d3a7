"""Background jobs for dialogues: close casussen after the inactivity timeout (with a note and the
summary in their thread), and purge answers of closed dialogues after the retention period.

Both are idempotent: a pass that runs twice, or in two processes, closes or purges nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.subcommands.casus import publish
from bot.services.casus import CasusService
from bot.services.context import AppContext

log = logging.getLogger(__name__)
TIMEOUT_INTERVAL_S = 60 * 60
RETENTION_INTERVAL_S = 6 * 60 * 60


async def close_idle_once(context: AppContext, client: AsyncWebClient, now: datetime) -> int:
    """One pass of the timeout: close idle dialogues and tell their threads; return how many closed."""
    closed = CasusService(context).sweep_timeouts(now)
    for result in closed:
        try:
            await publish(client, result)
        except SlackApiError as error:
            # The dialogue is closed either way; a thread we can no longer reach only misses the note.
            log.warning("timeout note not posted: %s", error.response.get("error", ""))
    return len(closed)


async def close_idle_dialogues(context: AppContext, client: AsyncWebClient) -> None:
    while True:
        count = await close_idle_once(context, client, datetime.now(UTC))
        if count:
            log.info("closed %d idle dialogue(s)", count)
        await asyncio.sleep(TIMEOUT_INTERVAL_S)


async def purge_retention(context: AppContext, client: AsyncWebClient) -> None:
    while True:
        count = CasusService(context).purge_retention(datetime.now(UTC))
        if count:
            log.info("retention: purged the answers of %d closed dialogue(s)", count)
        await asyncio.sleep(RETENTION_INTERVAL_S)


JOBS = (close_idle_dialogues, purge_retention)
