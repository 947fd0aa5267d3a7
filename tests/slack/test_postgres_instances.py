"""Two `maatwerk serve` processes on one PostgreSQL database with the Slack stand-in: casus dialogues
answered through both at random, one process SIGKILLed midway while it handles a reply (Slack's retry
then reaches the other one, as behind a load balancer), then every dialogue closed through both at
once. Nothing may be lost, doubled or put under the wrong question, and every summary is posted once.
And 50 channels with weekly lessons, ticked by two processes at once: each lesson posted once.
Runs when MAATWERK_TEST_PG_URL names a server (.ci/run starts one)."""

from __future__ import annotations

import asyncio
import os
import random
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.slack.ids import ActionId
from bot.core.schedule import ChannelSchedule
from bot.store import schedules
from bot.store.db import open_store
from tests.slack.conftest import BOT_TOKEN, REPO, SIGNING_SECRET, ServeProcess, Slack, free_port
from tests.slack.crash import (
    QUESTION_ID,
    WAIT_S,
    Tally,
    Thread,
    _count,
    after,
    posted_ts,
    questions_in,
    start_dialogues,
    wait_until,
)
from tests.slack.standin import StandIn
from tests.store.pg import pg_url, schema_url

pytestmark = pytest.mark.skipif(pg_url() is None, reason="no PostgreSQL server (MAATWERK_TEST_PG_URL)")


DIALOGUES = 20
ANSWERS = 60


async def _deliver_with_kill(
    slacks: list[Slack], victim: ServeProcess, event: dict[str, object], event_id: str, tally: Tally, rng: random.Random
) -> None:
    """Deliver to the victim and SIGKILL it a moment later; Slack's retry (same event id) reaches the other."""

    async def kill_later() -> None:
        await asyncio.sleep(rng.uniform(0.0, 0.03))
        victim.kill()
        tally.kills += 1

    killer = asyncio.create_task(kill_later())
    target, retry = 0, None
    while True:
        try:
            response = await slacks[target].event(event, event_id=event_id, retry=retry)
            if response.status == 200:
                break
        except aiohttp.ClientError:
            pass
        await killer
        target, retry = 1, (retry or 0) + 1
        tally.retries += 1
    await killer
    tally.acknowledged += 1


async def _answer_through_both(
    servers: list[ServeProcess],
    slacks: list[Slack],
    standin: StandIn,
    threads: list[Thread],
    tally: Tally,
    rng: random.Random,
) -> None:
    """ANSWERS replies to random threads through a random live server; the first server is SIGKILLed
    while it handles the middle one and comes back five replies later."""
    for n in range(ANSWERS):
        thread = rng.choice(threads)
        expected = len(thread.sent) + 1
        await wait_until(lambda thread=thread, expected=expected: len(questions_in(standin, thread.ts)) >= expected)
        shown = questions_in(standin, thread.ts)[-1]
        open_question = QUESTION_ID.findall(str(shown.args["text"]))[0]
        text = f"antwoord {n}"
        ts = after(posted_ts(standin, shown), 1)
        event = {"type": "message", "channel": "C1", "user": "U2", "text": text, "ts": ts, "thread_ts": thread.ts}
        tally.answers_sent += 1
        if n == ANSWERS // 2:
            await _deliver_with_kill(slacks, servers[0], event, f"Ev-pg-{n}", tally, rng)
        else:
            alive = [i for i, server in enumerate(servers) if server.process and server.process.poll() is None]
            response = await slacks[rng.choice(alive)].event(event, event_id=f"Ev-pg-{n}")
            assert response.status == 200
            tally.acknowledged += 1
        thread.sent.append((text, open_question))
        if n == ANSWERS // 2 + 5:
            await servers[0].start()


async def test_two_serve_processes_on_one_postgres_one_killed_midway_lose_nothing_and_post_each_summary_once(
    standin: StandIn, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.base_url,
        "MAATWERK_DB": schema_url(str(pg_url()), str(tmp_path)),
    }
    # Logs in the test's folder (MAATWERK_DB is a URL, not a file beside them).
    servers = [ServeProcess(env, port, tmp_path / f"serve-{port}.log") for port in (free_port(), free_port())]
    rng = random.Random(19)
    tally = Tally()
    try:
        for server in servers:
            await server.start()
        async with aiohttp.ClientSession() as session:
            slacks = [Slack(server.url, standin, session) for server in servers]
            threads = await start_dialogues(slacks[rng.randrange(2)], standin, DIALOGUES)
            await _answer_through_both(servers, slacks, standin, threads, tally, rng)
            for thread in threads:
                await wait_until(lambda thread=thread: len(questions_in(standin, thread.ts)) >= len(thread.sent) + 1)
            await asyncio.gather(
                *(
                    slack.click(ActionId.CASUS_FINISH, thread.dialogue_id, thread_ts=thread.ts)
                    for thread in threads
                    for slack in slacks
                )
            )
            await wait_until(lambda: len(standin.of("files.completeUploadExternal")) >= len(threads))
            for slack in slacks:
                await slack.barrier(within=WAIT_S)
    finally:
        for server in servers:
            server.kill()
    _count(tally, servers[1], standin, threads)
    summaries = [c for c in standin.of("chat.postMessage") if c.args.get("text") == "Samenvatting"]
    assert tally.kills == 1
    assert tally.acknowledged == tally.answers_sent == ANSWERS
    assert (tally.lost, tally.duplicated, tally.misattributed) == (0, 0, 0)
    assert tally.stored == ANSWERS
    assert (tally.extra_questions, tally.missing_questions) == (0, 0)
    assert sorted(str(c.args["thread_ts"]) for c in summaries) == sorted(thread.ts for thread in threads)
    assert len(standin.of("files.completeUploadExternal")) == DIALOGUES


async def test_two_lesson_passes_at_once_on_one_postgres_post_each_channels_lesson_once(
    standin: StandIn, tmp_path: Path
) -> None:
    url = schema_url(str(pg_url()), str(tmp_path))
    channels = [f"CL{n:02d}" for n in range(50)]
    store = open_store(url)
    try:
        for channel in channels:
            schedule = ChannelSchedule(team="T1", channel=channel)
            schedules.save_schedule(store, schedule, "UADMIN", datetime(2027, 3, 1, tzinfo=UTC))
    finally:
        store.close()
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": standin.base_url, "MAATWERK_DB": url}
    args = [sys.executable, "-m", "bot", "maatwerkplaats", "tick", "--now", "2027-03-22T09:05:00+01:00"]
    processes = [
        await asyncio.create_subprocess_exec(*args, env=env, cwd=REPO, stdout=asyncio.subprocess.PIPE) for _ in range(2)
    ]
    outputs = [(await process.communicate())[0].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    assert sum(int(out.split(" geplaatst")[0]) for out in outputs) == len(channels)
    posted = Counter(str(call.args["channel"]) for call in standin.of("chat.postMessage"))
    assert posted == dict.fromkeys(channels, 1)
