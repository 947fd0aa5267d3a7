"""Durability under crashes: real `maatwerk serve` processes, SIGKILLed at random moments, with Slack-style
redeliveries (same event id, X-Slack-Retry-Num); then two processes on one database file.

Prints acknowledged answers lost, duplicated and misattributed, next questions per stored answer, and
how many summaries each dialogue got when two processes close it at once. Every count but the totals
must be 0 (and 1.00 next question per stored answer, 1 summary per dialogue).

Run on demand: .venv/bin/python bench/bench_durability.py [answers dialogues kills two_dialogues]
(default 1000 20 20 100)
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, ServeProcess, free_port
from tests.slack.crash import answer_under_kills, close_through_two, second_process
from tests.slack.standin import StandIn


def _process(standin: StandIn, db: Path) -> ServeProcess:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.base_url,
        "MAATWERK_DB": str(db),
    }
    return ServeProcess(env, free_port())


async def crashes(answers: int, dialogues: int, kills: int, folder: Path) -> None:
    standin = await StandIn().start()
    process = _process(standin, folder / "crash.db")
    started = time.perf_counter()
    try:
        tally = await answer_under_kills(process, standin, dialogues=dialogues, answers=answers, kills=kills)
    finally:
        process.kill()
        await standin.stop()
    print(f"answers sent / acknowledged      {tally.answers_sent} / {tally.acknowledged}")
    print(f"dialogues ({dialogues} at a time, fresh ones replace full ones) {tally.dialogues}")
    print(f"SIGKILLs / redeliveries after no 200 {tally.kills} / {tally.retries}")
    print(f"acknowledged answers lost        {tally.lost}")
    print(f"answers duplicated               {tally.duplicated}")
    print(f"answers misattributed            {tally.misattributed}")
    print(f"answers stored                   {tally.stored}")
    print(f"next questions per stored answer {tally.next_questions_per_stored_answer:.2f}")
    print(f"questions posted twice / missing {tally.extra_questions} / {tally.missing_questions}")
    print(f"wall time                        {time.perf_counter() - started:.1f} s")


async def two_processes(dialogues: int, folder: Path) -> None:
    standin = await StandIn().start()
    first = _process(standin, folder / "two.db")
    second = second_process(first, free_port())
    started = time.perf_counter()
    try:
        tally = await close_through_two(first, second, standin, dialogues=dialogues, answers_each=3)
    finally:
        first.kill()
        second.kill()
        await standin.stop()
    spread = Counter(tally.summaries.values())
    print(f"two processes: dialogues {dialogues}, answers {tally.acknowledged}")
    print(f"summaries posted per dialogue    {dict(sorted(spread.items()))} (count: dialogues)")
    print(f"wall time                        {time.perf_counter() - started:.1f} s")


async def main(answers: int, dialogues: int, kills: int, two: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        await crashes(answers, dialogues, kills, Path(folder))
        await two_processes(two, Path(folder))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]] + [1000, 20, 20, 100][len(sys.argv) - 1 :]
    asyncio.run(main(*args[:4]))
