"""Crash scenarios against real `maatwerk serve` processes, shared by tests/ (small) and bench/ (long).

`answer_under_kills`: people answer dialogues in their threads while the server is SIGKILLed at random
moments; Slack redelivers (same event id, X-Slack-Retry-Num) whatever did not get a 200, and sometimes
redelivers what did. `close_through_two`: two servers on one database file; every dialogue is answered
through both at random and closed by both at once. Both return counts; zero is the only good count for
everything but the totals.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import dataclass, field

import aiohttp

from bot.adapters.slack.ids import ActionId
from bot.store.db import open_store
from tests.slack.conftest import ServeProcess, Slack
from tests.slack.standin import Call, StandIn

QUESTION_ID = re.compile(r"\(([A-Z]+-[A-Z]+\d+)\)")
WAIT_S = 30.0


@dataclass
class Tally:
    answers_sent: int = 0
    dialogues: int = 0
    acknowledged: int = 0
    retries: int = 0
    kills: int = 0
    lost: int = 0
    duplicated: int = 0
    misattributed: int = 0
    stored: int = 0
    next_questions: int = 0
    extra_questions: int = 0
    missing_questions: int = 0
    summaries: dict[str, int] = field(default_factory=dict)

    @property
    def next_questions_per_stored_answer(self) -> float:
        return self.next_questions / self.stored if self.stored else 0.0


def after(ts: str, micros: int = 1) -> str:
    seconds, fraction = ts.split(".")
    total = int(seconds) * 1_000_000 + int(fraction) + micros
    return f"{total // 1_000_000}.{total % 1_000_000:06d}"


def questions_in(standin: StandIn, thread: str) -> list[Call]:
    return [
        c
        for c in standin.of("chat.postMessage")
        if c.args.get("thread_ts") == thread and str(c.args.get("text", "")).startswith("Vraag ")
    ]


def posted_ts(standin: StandIn, call: Call) -> str:
    """The ts the stand-in gave a posted message (looked up by its outbox metadata key)."""
    key = (call.args.get("metadata") or {}).get("event_payload", {}).get("key")
    for message in standin.messages.get(str(call.args.get("channel")), []):
        if (message.get("metadata") or {}).get("event_payload", {}).get("key") == key:
            return str(message["ts"])
    raise AssertionError("posted message not found")


async def wait_until(condition: object, within: float = WAIT_S) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def alive(process: ServeProcess) -> None:
    if process.process is None or process.process.poll() is not None:
        await process.start(within=90)  # generous: the machine may be busy


async def deliver(
    slack: Slack, process: ServeProcess, event: dict[str, object], event_id: str, tally: Tally, kill_at: float | None
) -> None:
    """Deliver one event the way Slack does: again (same id, X-Slack-Retry-Num) until it gets a 200.
    With `kill_at`, the server is SIGKILLed that many seconds after the first attempt starts."""
    retry: int | None = None
    killer = None
    if kill_at is not None:

        async def kill_later() -> None:
            await asyncio.sleep(kill_at)
            process.kill()
            tally.kills += 1

        killer = asyncio.create_task(kill_later())
    while True:
        try:
            response = await slack.event(event, event_id=event_id, retry=retry)
            if response.status == 200:
                break
        except aiohttp.ClientError:
            pass
        if killer is not None:
            await killer
            killer = None
        await alive(process)
        retry = (retry or 0) + 1
        tally.retries += 1
    if killer is not None:
        await killer
        await alive(process)
    tally.acknowledged += 1


@dataclass
class Thread:
    ts: str
    dialogue_id: str
    total: int
    sent: list[tuple[str, str]] = field(default_factory=list)  # (text, question id open when written)

    @property
    def full(self) -> bool:
        """One question left: answering it would close the dialogue, so a fresh one takes its place."""
        return len(self.sent) >= self.total - 1


async def start_dialogue(slack: Slack, standin: StandIn, n: int) -> Thread:
    roots = len([c for c in standin.of("chat.postMessage") if "thread_ts" not in c.args])
    await slack.command(f"casus --voor Dialoog {n}", user="U1")
    await wait_until(lambda: len([c for c in standin.of("chat.postMessage") if "thread_ts" not in c.args]) > roots)
    root = [c for c in standin.of("chat.postMessage") if "thread_ts" not in c.args][roots]
    root_ts = posted_root_ts(standin, root)
    await wait_until(lambda: len(questions_in(standin, root_ts)) >= 1)
    first = questions_in(standin, root_ts)[0]
    buttons = [e for b in first.blocks() if b["type"] == "actions" for e in b["elements"]]
    total = int(re.findall(r"Vraag 1 van (\d+)", str(first.args["text"]))[0])
    return Thread(root_ts, str(buttons[0]["value"]), total)


def posted_root_ts(standin: StandIn, call: Call) -> str:
    """The ts the stand-in gave a root message (matched by its text among the channel's messages)."""
    roots = [m for m in standin.messages.get(str(call.args.get("channel")), []) if "thread_ts" not in m]
    matching = [m for m in roots if m.get("text") == call.args.get("text")]
    return str(matching[-1]["ts"])


async def start_dialogues(slack: Slack, standin: StandIn, count: int, first: int = 0) -> list[Thread]:
    return [await start_dialogue(slack, standin, n) for n in range(first, first + count)]


async def answer_under_kills(
    process: ServeProcess, standin: StandIn, dialogues: int, answers: int, kills: int, seed: int = 15
) -> Tally:
    """`answers` answers spread over `dialogues` dialogues, with `kills` SIGKILLs at random moments."""
    rng = random.Random(seed)
    tally = Tally()
    kill_on = set(rng.sample(range(answers), kills))
    await alive(process)
    async with aiohttp.ClientSession() as session:
        slack = Slack(process.url, standin, session)
        threads = await start_dialogues(slack, standin, dialogues)
        every = list(threads)
        for n in range(answers):
            thread = rng.choice(threads)
            if thread.full:
                threads[threads.index(thread)] = thread = await start_dialogue(slack, standin, len(every))
                every.append(thread)
            expected = len(thread.sent) + 1
            await wait_until(lambda thread=thread, expected=expected: len(questions_in(standin, thread.ts)) >= expected)
            shown = questions_in(standin, thread.ts)[-1]
            open_question = QUESTION_ID.findall(str(shown.args["text"]))[0]
            text = f"antwoord {n}"
            ts = after(posted_ts(standin, shown), 1)
            event = {"type": "message", "channel": "C1", "user": "U2", "text": text, "ts": ts, "thread_ts": thread.ts}
            tally.answers_sent += 1
            kill_at = rng.uniform(0.0, 0.03) if n in kill_on else None
            await deliver(slack, process, event, f"Ev-crash-{n}", tally, kill_at)
            thread.sent.append((text, open_question))
            if rng.random() < 0.1:  # Slack sometimes redelivers what it got a 200 for
                await deliver(slack, process, event, f"Ev-crash-{n}", tally, None)
                tally.acknowledged -= 1
        for thread in every:
            await wait_until(lambda thread=thread: len(questions_in(standin, thread.ts)) >= len(thread.sent) + 1)
        await slack.barrier(within=WAIT_S)
    tally.dialogues = len(every)
    _count(tally, process, standin, every)
    return tally


def _count(tally: Tally, process: ServeProcess, standin: StandIn, threads: list[Thread]) -> None:
    store = open_store(process.env["MAATWERK_DB"])  # a file path or a postgresql:// URL
    dialogues = store.dialogues()
    try:
        for thread in threads:
            stored = dialogues.answers(thread.dialogue_id)
            tally.stored += len(stored)
            for text, open_question in thread.sent:
                found = [a for a in stored if a.text == text]
                if not found:
                    tally.lost += 1
                tally.duplicated += max(0, len(found) - 1)
                tally.misattributed += sum(1 for a in found if a.question_id != open_question)
            posted = [QUESTION_ID.findall(str(c.args["text"]))[0] for c in questions_in(standin, thread.ts)]
            record = dialogues.get(thread.dialogue_id)
            assert record is not None
            expected = list(record.state.questions[: len(stored) + 1])
            tally.next_questions += max(0, len(posted) - 1)
            tally.extra_questions += max(0, len(posted) - len(expected))
            tally.missing_questions += max(0, len(expected) - len(posted))
    finally:
        store.close()


async def close_through_two(
    first: ServeProcess, second: ServeProcess, standin: StandIn, dialogues: int, answers_each: int, seed: int = 15
) -> Tally:
    """Dialogues answered through two servers on one file at random, then closed by both at once."""
    rng = random.Random(seed)
    tally = Tally()
    await alive(first)
    await alive(second)
    async with aiohttp.ClientSession() as session:
        slacks = [Slack(first.url, standin, session), Slack(second.url, standin, session)]
        threads = await start_dialogues(slacks[0], standin, dialogues)
        for k in range(answers_each):
            for thread in threads:
                await wait_until(lambda thread=thread, k=k: len(questions_in(standin, thread.ts)) >= k + 1)
                shown = questions_in(standin, thread.ts)[-1]
                event = {
                    "type": "message",
                    "channel": "C1",
                    "user": "U2",
                    "text": f"{thread.dialogue_id} {k}",
                    "ts": after(posted_ts(standin, shown), 1),
                    "thread_ts": thread.ts,
                }
                response = await rng.choice(slacks).event(event, event_id=f"Ev-two-{thread.dialogue_id}-{k}")
                assert response.status == 200
                tally.acknowledged += 1
        await asyncio.gather(
            *(
                slack.click(ActionId.CASUS_FINISH, thread.dialogue_id, thread_ts=thread.ts)
                for thread in threads
                for slack in slacks
            )
        )
        await wait_until(lambda: len(standin.of("files.completeUploadExternal")) >= len(threads))
        await slacks[0].barrier(within=WAIT_S)
        await slacks[1].barrier(within=WAIT_S)
    for call in standin.of("chat.postMessage"):
        if call.args.get("text") == "Samenvatting":
            thread_ts = str(call.args["thread_ts"])
            tally.summaries[thread_ts] = tally.summaries.get(thread_ts, 0) + 1
    for thread in threads:
        tally.summaries.setdefault(thread.ts, 0)
    return tally


def second_process(process: ServeProcess, port: int) -> ServeProcess:
    """Another `maatwerk serve` on the same database file."""
    return ServeProcess(dict(process.env), port, process.log_path.with_name(f"serve-{port}.log"))


__all__ = ["Tally", "answer_under_kills", "close_through_two", "second_process"]
