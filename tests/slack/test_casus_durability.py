"""Nothing acknowledged is lost, doubled or misplaced: retries, answers written together, buttons from
elsewhere, over-long replies, two app instances on one database file, pruning of delivery keys."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from bot.adapters.slack.casus_jobs import prune_deliveries_once
from bot.adapters.slack.ids import ActionId
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from tests.slack.conftest import Slack, make_settings, start_web_app
from tests.slack.standin import Call, StandIn

_n = itertools.count(1)


def _questions(standin: StandIn, thread: str) -> list[Call]:
    return [
        c
        for c in standin.of("chat.postMessage")
        if c.args.get("thread_ts") == thread and str(c.args.get("text", "")).startswith("Vraag ")
    ]


def _after(ts: str, micros: int) -> str:
    seconds, fraction = ts.split(".")
    total = int(seconds) * 1_000_000 + int(fraction) + micros
    return f"{total // 1_000_000}.{total % 1_000_000:06d}"


async def _start(slack: Slack, standin: StandIn) -> tuple[str, str]:
    """Start a casus; return (thread ts, dialogue id)."""
    await slack.command("casus Huurachterstand", user="U1")
    _, first = await standin.wait_for("chat.postMessage", count=2)
    buttons = [e for b in first.blocks() if b["type"] == "actions" for e in b["elements"]]
    return str(first.args["thread_ts"]), str(buttons[0]["value"])


def _posted_ts(standin: StandIn, index: int) -> str:
    """The ts Slack gave the index-th message posted in C1 (0: the root, 1: the first question)."""
    return str(standin.messages["C1"][index]["ts"])


async def _reply(
    slack: Slack,
    thread: str,
    text: str,
    ts: str,
    user: str = "U2",
    event_id: str | None = None,
    retry: int | None = None,
) -> aiohttp.ClientResponse:
    event = {"type": "message", "channel": "C1", "user": user, "text": text, "ts": ts, "thread_ts": thread}
    return await slack.event(event, event_id=event_id or f"Ev-dur-{next(_n)}", retry=retry)


async def _drained(context: AppContext) -> None:
    outbox = context.store.outbox()
    for _ in range(1000):
        if outbox.pending() == 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the outbox did not drain")


async def test_a_retried_reply_is_stored_once_and_asked_on_once(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread, dialogue_id = await _start(slack, standin)
    written = _after(_posted_ts(standin, 1), 1)
    first = await _reply(slack, thread, "Zij meldde zich zelf", written, event_id="EvSameReply")
    retry = await _reply(slack, thread, "Zij meldde zich zelf", written, event_id="EvSameReply", retry=1)
    assert (first.status, retry.status) == (200, 200)
    # The 200 came after the commit: the answer is there without waiting.
    answers = CasusService(app_context).dialogues.answers(dialogue_id)
    assert [a.text for a in answers] == ["Zij meldde zich zelf"]
    await _drained(app_context)
    await slack.barrier()
    assert len(_questions(standin, thread)) == 2


async def test_two_answers_written_to_one_question_are_both_kept_for_it(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread, dialogue_id = await _start(slack, standin)
    await _drained(app_context)
    question_ts = _posted_ts(standin, 1)
    # Both written while question 1 was the last question in the thread; the later one arrives first.
    await _reply(slack, thread, "tweede antwoord", _after(question_ts, 2), user="U3")
    await _reply(slack, thread, "eerste antwoord", _after(question_ts, 1), user="U2")
    await _drained(app_context)
    record = CasusService(app_context).get(dialogue_id)
    assert record is not None
    first_question = record.state.questions[0]
    answers = CasusService(app_context).dialogues.answers(dialogue_id)
    assert [(a.question_id, a.text) for a in answers] == [
        (first_question, "eerste antwoord"),
        (first_question, "tweede antwoord"),
    ]
    assert record.state.position == 1
    await slack.barrier()
    assert len(_questions(standin, thread)) == 2  # one next question, not two


async def test_a_casus_button_from_another_thread_channel_or_team_changes_nothing(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread, dialogue_id = await _start(slack, standin)
    await slack.click(ActionId.CASUS_FINISH, dialogue_id, thread_ts="1700009999.000100")
    await slack.click(ActionId.CASUS_FINISH, dialogue_id, thread_ts=thread, channel="C2")
    await slack.click(ActionId.CASUS_FINISH, dialogue_id, thread_ts=thread, team="T2")
    await slack.click(ActionId.CASUS_FINISH, "cnope", thread_ts=thread)
    refusals = await standin.wait_for("response_url", count=4)
    assert all("hoort niet bij een casus in deze draad" in r.args["text"] for r in refusals)
    assert all(r.args.get("response_type") == "ephemeral" for r in refusals)
    record = CasusService(app_context).get(dialogue_id)
    assert record is not None
    assert record.state.status.value == "actief"
    await slack.click(ActionId.CASUS_PAUSE, dialogue_id, thread_ts=thread)
    await _drained(app_context)
    record = CasusService(app_context).get(dialogue_id)
    assert record is not None
    assert record.state.status.value == "gepauzeerd"


async def test_a_reply_over_4000_characters_gets_the_dutch_message_and_is_not_stored(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread, dialogue_id = await _start(slack, standin)
    response = await _reply(slack, thread, "a" * 4001, _after(_posted_ts(standin, 1), 1))
    assert response.status == 200
    [note] = await standin.wait_for("chat.postEphemeral")
    assert note.args["user"] == "U2"
    assert "de grens is 4000" in note.args["text"]
    assert CasusService(app_context).dialogues.answers(dialogue_id) == []


async def test_two_instances_on_one_database_post_each_summary_once(
    standin: StandIn, tmp_path: Path, make_context: Callable[[Settings], AppContext]
) -> None:
    settings = make_settings(standin, tmp_path / "shared.db")
    contexts = [make_context(settings), make_context(settings)]
    servers = [await start_web_app(context) for context in contexts]
    try:
        async with aiohttp.ClientSession() as session:
            slacks = [Slack(url, standin, session) for _, url in servers]
            threads: list[tuple[str, str]] = []
            for n in range(6):
                await slacks[n % 2].command(f"casus Casus {n}", user="U1")
                posts = await standin.wait_for("chat.postMessage", count=2 * (n + 1))
                buttons = [e for b in posts[-1].blocks() if b["type"] == "actions" for e in b["elements"]]
                threads.append((str(posts[-1].args["thread_ts"]), str(buttons[0]["value"])))
            # Both instances close every dialogue at the same moment.
            await asyncio.gather(
                *(
                    slack.click(ActionId.CASUS_FINISH, dialogue_id, thread_ts=thread)
                    for thread, dialogue_id in threads
                    for slack in slacks
                )
            )
            await standin.wait_for("files.completeUploadExternal", count=len(threads), within=15)
            await _drained(contexts[0])
            await slacks[0].barrier()
        summaries = [c for c in standin.of("chat.postMessage") if c.args.get("text") == "Samenvatting"]
        assert sorted(str(c.args["thread_ts"]) for c in summaries) == sorted(t for t, _ in threads)
        assert len(standin.of("files.completeUploadExternal")) == len(threads)
    finally:
        for runner, _ in servers:
            await runner.cleanup()
        for context in contexts:
            context.close()


def test_delivery_keys_older_than_a_day_are_pruned(app_context: AppContext) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    deliveries = app_context.store.deliveries()
    deliveries.claim("event:old", now - timedelta(days=2))
    deliveries.claim("event:new", now - timedelta(hours=1))
    assert prune_deliveries_once(app_context, now) == 1
    assert not deliveries.seen("event:old")
    assert deliveries.seen("event:new")
