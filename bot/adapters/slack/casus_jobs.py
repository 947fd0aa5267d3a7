"""Background jobs for dialogues: close casussen after the inactivity timeout (the note and summary go
through the outbox), post the outbox, purge answers of closed dialogues after the retention period, and
forget processed deliveries and posted outbox entries older than a day (Slack retries only within minutes).

All are idempotent: a pass that runs twice, or in two processes, closes, posts or purges nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.casus_outbox import post_outbox
from bot.adapters.slack.casus_presenter import kick
from bot.services.casus import CasusService
from bot.services.context import AppContext

log = logging.getLogger(__name__)
TIMEOUT_INTERVAL_S = 60 * 60
RETENTION_INTERVAL_S = 6 * 60 * 60
DELIVERY_PRUNE_INTERVAL_S = 60 * 60
DELIVERY_KEEP = timedelta(days=1)


async def close_idle_once(context: AppContext, client: AsyncWebClient, now: datetime) -> int:
    """One pass of the timeout: close idle dialogues (their notes go to the outbox); return how many closed."""
    closed = await asyncio.to_thread(CasusService(context).sweep_timeouts, now, True)
    if closed:
        kick()
    return len(closed)


async def close_idle_dialogues(context: AppContext, client: AsyncWebClient) -> None:
    while True:
        count = await close_idle_once(context, client, datetime.now(UTC))
        if count:
            log.info("closed %d idle dialogue(s)", count)
        await asyncio.sleep(TIMEOUT_INTERVAL_S)


async def purge_retention(context: AppContext, client: AsyncWebClient) -> None:
    while True:
        count = await asyncio.to_thread(CasusService(context).purge_retention, datetime.now(UTC))
        if count:
            log.info("retention: purged the answers of %d closed dialogue(s)", count)
        await asyncio.sleep(RETENTION_INTERVAL_S)


def prune_deliveries_once(context: AppContext, now: datetime) -> int:
    """Forget processed delivery keys and posted outbox entries older than DELIVERY_KEEP; return how many
    delivery keys were forgotten."""
    context.store.outbox().forget_sent_before(now - DELIVERY_KEEP)
    return context.store.deliveries().forget_before(now - DELIVERY_KEEP)


async def prune_deliveries(context: AppContext, client: AsyncWebClient) -> None:
    while True:
        count = await asyncio.to_thread(prune_deliveries_once, context, datetime.now(UTC))
        if count:
            log.info("forgot %d processed delivery key(s)", count)
        await asyncio.sleep(DELIVERY_PRUNE_INTERVAL_S)


JOBS = (close_idle_dialogues, purge_retention, prune_deliveries, post_outbox)
# Every worker of `serve --workers N` posts its own outbox entries (its handlers wake only its own
# poster; claims keep two posters off one entry), not only worker 0 on its half-second poll.
EVERY_WORKER = (post_outbox,)
