"""Steering words typed in a dialogue behave the same in the terminal and in a Slack thread.

One script of lines runs through each adapter; the stored result (answers per question, skips, status,
position) must be the one expected, so the two adapters cannot drift apart (both use bot.core.steering).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

import pytest

from bot.adapters.terminal.shell import Session, handle_line
from bot.core.steering import steering_action
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import DialogueRecord, ThreadKey
from tests.slack.conftest import Slack
from tests.slack.standin import StandIn

SCRIPT = (
    "Zij meldde zich zelf",  # answer to question 1
    "Overslaan",  # skip question 2 (any case)
    "/vorige",  # back to question 2 (with a slash)
    "vorige vraag was lastig",  # an answer, not a steering word
    " PAUZEER ",  # pause (spaces around it)
    "dit telt niet",  # refused while paused
    "Verder",  # resume at question 3
    "Afronden is nog te vroeg",  # an answer to question 3
    "klaar",  # finish
)
_ts = itertools.count(1)

Driver = Callable[[str], Awaitable[None]]


def _outcome(context: AppContext, record: DialogueRecord) -> tuple[object, ...]:
    service = CasusService(context)
    final = service.get(record.id)
    assert final is not None
    answers = [(a.question_id, a.text, a.skipped) for a in service.dialogues.answers(record.id)]
    return final.state.status.value, final.state.position, tuple(answers)


async def _drain(context: AppContext) -> None:
    """Wait until the outbox worker has posted everything committed (so the next reply sees its question)."""
    outbox = context.store.outbox()
    for _ in range(500):
        if outbox.pending() == 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the outbox did not drain")


async def _terminal(app_context: AppContext) -> tuple[Driver, Callable[[], DialogueRecord]]:
    session = Session(app_context, user="U2", team="T1", channel="C1")
    handle_line(session, "casus Huurachterstand")
    dialogue_id = session.state["casus"]

    async def send(line: str) -> None:
        handle_line(session, line)

    def record() -> DialogueRecord:
        found = CasusService(app_context).get(dialogue_id)
        assert found is not None
        return found

    return send, record


async def _slack(
    app_context: AppContext, slack: Slack, standin: StandIn
) -> tuple[Driver, Callable[[], DialogueRecord]]:
    await slack.command("casus Huurachterstand", user="U1")
    _, first = await standin.wait_for("chat.postMessage", count=2)
    thread = str(first.args["thread_ts"])

    async def send(line: str) -> None:
        n = next(_ts)
        event = {"type": "message", "channel": "C1", "user": "U2", "text": line, "ts": f"1800000000.{n:06d}"}
        response = await slack.event(event | {"thread_ts": thread}, event_id=f"Ev-steer-{n}")
        assert response.status == 200  # answered only after the reply was committed
        await _drain(app_context)

    def record() -> DialogueRecord:
        found = CasusService(app_context).find(ThreadKey("T1", "C1", thread))
        assert found is not None
        return found

    return send, record


@pytest.mark.parametrize("adapter", ["terminal", "slack"])
async def test_steering_words_do_the_same_in_the_terminal_and_in_a_slack_thread(
    adapter: str, app_context: AppContext, slack: Slack, standin: StandIn
) -> None:
    if adapter == "slack":
        send, record = await _slack(app_context, slack, standin)
    else:
        send, record = await _terminal(app_context)
    questions = record().state.questions
    for line in SCRIPT:
        await send(line)
    assert _outcome(app_context, record()) == (
        "afgerond",
        3,
        (
            (questions[0], "Zij meldde zich zelf", False),
            (questions[1], "", True),
            (questions[1], "vorige vraag was lastig", False),
            (questions[2], "Afronden is nog te vroeg", False),
        ),
    )


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("overslaan", "overslaan"),
        ("/Vorige", "vorige"),
        ("  AFRONDEN ", "afronden"),
        ("klaar", "afronden"),
        ("verder", "verder"),
        ("pauzeer.", None),
        ("vorige vraag", None),
        ("stop", None),
        ("", None),
    ],
)
def test_the_grammar_takes_only_an_exact_steering_word(text: str, action: str | None) -> None:
    assert steering_action(text) == action
