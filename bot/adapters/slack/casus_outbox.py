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
from bot.store.outbox import OutboxEntry, Outcome

log = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
POLL_S = 0.5
RETRY_AFTER = timedelta(seconds=5)
MAX_IN_FLIGHT = 64  # posts at once per process; Slack's rate limits apply per channel, the pool is shared


async def deliver_once(context: AppContext, client: AsyncWebClient) -> int:
    """Claim and post the next entry of every dialogue with something to post, then record what became
    of each; return how many were claimed."""
    store = context.store.outbox()
    entries = await asyncio.to_thread(store.claim, WORKER, datetime.now(UTC))
    outcomes = await asyncio.gather(*(_deliver(context, client, entry) for entry in entries))
    await asyncio.to_thread(store.settle, outcomes)
    return len(entries)


async def _deliver(context: AppContext, client: AsyncWebClient, entry: OutboxEntry) -> Outcome:
    """Post one claimed entry; what became of it is written by the caller (with the next claim)."""
    try:
        client = await TeamClients(context, client).for_dialogue(entry.dialogue_id)
    except TeamGoneError as gone:  # the workspace uninstalled the app: nothing can be posted there
        log.warning("outbox entry %d dropped: %s", entry.id, gone)
        return Outcome.given_up(entry.id, str(gone), datetime.now(UTC))
    try:
        ts = await find_posted(client, entry) if entry.taken_over else None
        if ts is None:
            ts = await post_entry(context, client, entry)
    except SlackApiError as error:
        code = str(error.response.get("error", ""))
        if code in UNREACHABLE:
            log.warning("outbox entry %d dropped: thread unreachable (%s)", entry.id, code)
            return Outcome.given_up(entry.id, code, datetime.now(UTC))
        log.warning("outbox entry %d not posted (%s); retrying", entry.id, code or "error")
        return Outcome.retry(entry.id, datetime.now(UTC) + RETRY_AFTER)
    except Exception as error:  # network trouble: keep the entry, try again later
        log.warning("outbox entry %d not posted (%s); retrying", entry.id, type(error).__name__)
        return Outcome.retry(entry.id, datetime.now(UTC) + RETRY_AFTER)
    if ts is None:
        return Outcome.given_up(entry.id, "gone", datetime.now(UTC))
    return Outcome.sent(entry.id, ts, datetime.now(UTC))


class _Poster:
    """The job's state: posts in flight, and outcomes not yet written (they go with the next claim)."""

    def __init__(self, context: AppContext, client: AsyncWebClient, waker: asyncio.Event) -> None:
        self.context = context
        self.client = client
        self.waker = waker
        self.store = context.store.outbox()
        self.in_flight: set[asyncio.Task[None]] = set()
        self.done: list[Outcome] = []

    async def round(self) -> bool:
        """Write the finished outcomes and claim what there is room for in one transaction; start posting
        each claimed entry without waiting for it. Return whether more may be waiting (the room was full)."""
        outcomes, self.done = self.done, []
        room = MAX_IN_FLIGHT - len(self.in_flight)
        if room <= 0 and not outcomes:
            return False  # a finished post wakes the next round
        try:
            entries = await asyncio.to_thread(self.store.claim, WORKER, datetime.now(UTC), room, outcomes)
        except BaseException:
            self.done[:0] = outcomes  # not written: keep them for the next round
            raise
        for entry in entries:
            task = asyncio.create_task(self._post(entry))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
        return room > 0 and len(entries) == room

    async def _post(self, entry: OutboxEntry) -> None:
        try:
            outcome = await _deliver(self.context, self.client, entry)
        except Exception as error:  # e.g. the store failed looking up the team: try again later
            log.warning("outbox entry %d not posted (%s); retrying", entry.id, type(error).__name__)
            outcome = Outcome.retry(entry.id, datetime.now(UTC) + RETRY_AFTER)
        self.done.append(outcome)  # the list of now: a round may have swapped it while the post ran
        self.waker.set()  # write it soon: the dialogue's next entry waits behind this one

    async def stop(self) -> None:
        """Shutting down: stop the posts in flight and write the outcomes that are known."""
        for task in self.in_flight:
            task.cancel()
        await asyncio.gather(*self.in_flight, return_exceptions=True)
        outcomes, self.done = self.done, []
        try:
            await asyncio.to_thread(self.store.settle, outcomes)
        except Exception as error:  # their claims run out and are taken over, found by key, not posted again
            log.warning("%d outbox outcomes not written at shutdown (%s)", len(outcomes), type(error).__name__)


async def post_outbox(context: AppContext, client: AsyncWebClient) -> None:
    """The job: claim and post while there is work, without waiting for one round's posts before the next
    claim; otherwise wait for a kick, a finished post, or the next poll.

    A post's outcome is written with the next round's claim, a moment after the post: a crash in between
    leaves a claim that another worker takes over after LEASE, and it finds the message by its key
    instead of posting it again (the same as a crash during the post)."""
    waker = asyncio.Event()
    OUTBOX_WAKERS.add(waker)
    poster = _Poster(context, client, waker)
    try:
        while True:
            waker.clear()
            if await poster.round():
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waker.wait(), POLL_S)
    finally:
        OUTBOX_WAKERS.discard(waker)
        await poster.stop()
