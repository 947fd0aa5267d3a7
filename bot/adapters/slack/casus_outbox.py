"""The outbox worker: posts what dialogue steps recorded in the outbox, and marks each entry sent.

Runs as a background job beside the app (registered in casus_jobs.JOBS). Handlers `kick()` it after a
commit, so a next question follows its answer at once; it also polls, for entries written by another
process on the same database file and for claims left behind by a crashed process. A claim taken over
is first looked up in the thread by its metadata key (an export: by the key in its file name), so a
message posted or a file uploaded just before a crash is not posted twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.casus_presenter import OUTBOX_WAKERS, UNREACHABLE, find_posted, post_entry
from bot.adapters.slack.team_clients import TeamClients, TeamGoneError
from bot.services.context import AppContext
from bot.store.contracts import Outbox
from bot.store.outbox import OutboxEntry

log = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
POLL_S = 0.5
RETRY_AFTER = timedelta(seconds=5)


async def deliver_once(context: AppContext, client: AsyncWebClient) -> int:
    """Claim and post the next entry of every dialogue with something to post; return how many claimed."""
    store = context.store.outbox()
    entries = await asyncio.to_thread(store.claim, WORKER, datetime.now(UTC))
    await asyncio.gather(*(_deliver(context, client, store, entry) for entry in entries))
    return len(entries)


async def _deliver(context: AppContext, client: AsyncWebClient, store: Outbox, entry: OutboxEntry) -> None:
    try:
        client = await TeamClients(context, client).for_dialogue(entry.dialogue_id)
    except TeamGoneError as gone:  # the workspace uninstalled the app: nothing can be posted there
        log.warning("outbox entry %d dropped: %s", entry.id, gone)
        await asyncio.to_thread(store.give_up, entry.id, str(gone), datetime.now(UTC))
        return
    try:
        ts = await find_posted(client, entry) if entry.taken_over else None
        if ts is None:
            ts = await post_entry(context, client, entry)
    except SlackApiError as error:
        code = str(error.response.get("error", ""))
        if code in UNREACHABLE:
            log.warning("outbox entry %d dropped: thread unreachable (%s)", entry.id, code)
            await asyncio.to_thread(store.give_up, entry.id, code, datetime.now(UTC))
        else:
            log.warning("outbox entry %d not posted (%s); retrying", entry.id, code or "error")
            await asyncio.to_thread(store.retry_later, entry.id, datetime.now(UTC) + RETRY_AFTER)
        return
    except Exception as error:  # network trouble: keep the entry, try again later
        log.warning("outbox entry %d not posted (%s); retrying", entry.id, type(error).__name__)
        await asyncio.to_thread(store.retry_later, entry.id, datetime.now(UTC) + RETRY_AFTER)
        return
    if ts is None:
        await asyncio.to_thread(store.give_up, entry.id, "gone", datetime.now(UTC))
    else:
        await asyncio.to_thread(store.mark_sent, entry.id, ts, datetime.now(UTC))


async def post_outbox(context: AppContext, client: AsyncWebClient) -> None:
    """The job: deliver while there is work; otherwise wait for a kick or the next poll."""
    waker = asyncio.Event()
    OUTBOX_WAKERS.add(waker)
    try:
        while True:
            waker.clear()
            if await deliver_once(context, client):
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waker.wait(), POLL_S)
    finally:
        OUTBOX_WAKERS.discard(waker)
