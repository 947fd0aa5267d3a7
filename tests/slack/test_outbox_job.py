"""The outbox job as it runs beside the app: posts in flight while it claims the next entries, and the
outcome of each post written with a later claim. Nothing may be lost between the post and that write
(an outcome that is not written looks like a crash: another claim would take it over after the lease),
no thread may see its messages out of order, and what a crashed worker posted is not posted again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.casus_outbox import post_outbox
from bot.adapters.slack.casus_presenter import kick, post_entry
from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey
from bot.store.outbox import LEASE, ts_order
from tests.slack.conftest import BOT_TOKEN
from tests.slack.standin import StandIn

DIALOGUES = 30
ANSWERS = 3


@pytest.fixture
async def job(standin: StandIn, app_context: AppContext) -> AsyncIterator[None]:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.base_url)
    task = asyncio.create_task(post_outbox(app_context, client))
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _drained(context: AppContext, within: float) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while context.store.outbox().pending():
        assert asyncio.get_running_loop().time() < deadline, "outbox not drained in time"
        kick()
        await asyncio.sleep(0.01)


async def test_every_post_is_marked_sent_in_order_without_a_takeover(
    standin: StandIn, app_context: AppContext, job: None
) -> None:
    service = CasusService(app_context)
    now = datetime.now(UTC)
    ids = []
    for n in range(DIALOGUES):
        key = ThreadKey("T1", f"C{n}", f"1700006000.{n:06d}")
        ids.append(service.start(key, DialogueKind.CASUS, f"Casus {n}", "U1", now, post=True).dialogue.id)
        for k in range(ANSWERS):
            service.answer(key, "U1", f"antwoord {k}", now, post=True)
    kick()

    # Well within the lease: only outcomes written with the next claims get the outbox empty this soon.
    await _drained(app_context, within=LEASE.total_seconds() - 1)

    assert standin.of("conversations.replies") == []  # nothing was taken over
    assert len(standin.of("chat.postMessage")) == DIALOGUES * (ANSWERS + 1)
    for dialogue_id in ids:
        entries = app_context.store.outbox().entries(dialogue_id)
        assert len(entries) == ANSWERS + 1
        sent = [ts_order(entry.sent_ts or "") for entry in entries]
        assert sent == sorted(sent)  # posted in the order the steps queued them
        assert len(set(sent)) == len(sent)


async def test_a_post_whose_worker_died_before_writing_it_is_found_not_posted_again(
    standin: StandIn, app_context: AppContext, job: None
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.base_url)
    service = CasusService(app_context)
    now = datetime.now(UTC)
    key = ThreadKey("T1", "C1", "1700007000.000001")
    dialogue_id = service.start(key, DialogueKind.CASUS, "Huur", "U1", now, post=True).dialogue.id
    # Another worker claimed the first question, posted it and was killed before its outcome was written;
    # its claim has run out.
    [crashed] = app_context.store.outbox().claim("killed-worker", now - 2 * LEASE)
    posted = await post_entry(app_context, client, crashed)
    service.answer(key, "U1", "zij belde zelf", now, post=True)  # the next question waits behind it
    kick()

    await _drained(app_context, within=LEASE.total_seconds() - 1)

    first, second = app_context.store.outbox().entries(dialogue_id)
    assert first.sent_ts == posted  # found by its key in the thread
    assert len(standin.of("conversations.replies")) == 1
    questions = [c for c in standin.of("chat.postMessage") if c.args.get("thread_ts") == key.thread_ts]
    assert len(questions) == 2  # the first question once, then the next one
    assert second.sent_ts is not None
    assert ts_order(second.sent_ts) > ts_order(posted or "")
