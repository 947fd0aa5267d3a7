"""Does one heavy request stall the others? /healthz and /maatwerk help while three 40,000-character
thread replies are handled.

Starts the app over real HTTP against the Web API stand-in, opens a casus, then sends three replies of
40,000 characters into its thread at once while /healthz is polled every 10 ms and `/maatwerk help` is
sent every 50 ms, until every reply has been answered in the thread (or 30 s). Prints percentiles.
Goal: /healthz p99 < 100 ms. Run on demand: .venv/bin/python bench/bench_latency.py [ROUNDS]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.services.context import AppContext
from tests.slack.conftest import Slack, make_settings, start_web_app
from tests.slack.standin import StandIn

REPLY_CHARS = 40_000
REPLIES = 3


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _poll(session: aiohttp.ClientSession, url: str, every: float, out: list[float], done: asyncio.Event) -> None:
    while not done.is_set():
        started = time.perf_counter()
        async with session.get(url) as response:
            await response.read()
            assert response.status == 200
        out.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(every)


async def _commands(slack: Slack, every: float, out: list[float], done: asyncio.Event) -> None:
    while not done.is_set():
        started = time.perf_counter()
        response = await slack.command("help", user="U9")
        assert response.status == 200
        out.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(every)


async def round_(slack: Slack, standin: StandIn, n: int) -> tuple[list[float], list[float], list[float], float]:
    await slack.command(f"casus Bench {n}", user="U1", channel=f"C{n}")
    posts = await standin.wait_for("chat.postMessage", count=2 * n)
    thread_ts = str(posts[-1].args["thread_ts"])
    health: list[float] = []
    commands: list[float] = []
    acks: list[float] = []
    done = asyncio.Event()
    async with aiohttp.ClientSession() as side:
        pollers = [
            asyncio.create_task(_poll(side, f"{slack.url}/healthz", 0.01, health, done)),
            asyncio.create_task(_commands(Slack(slack.url, standin, side), 0.05, commands, done)),
        ]
        await asyncio.sleep(0.1)
        before = len(standin.calls)
        started = time.perf_counter()

        async def reply(i: int) -> None:
            event = {
                "type": "message",
                "channel": f"C{n}",
                "user": f"U{i}",
                "text": "a" * REPLY_CHARS,
                "ts": f"1700003000.{n:03d}{i:03d}",
                "thread_ts": thread_ts,
            }
            t0 = time.perf_counter()
            response = await slack.event(event, event_id=f"Ev-bench-{n}-{i}")
            acks.append((time.perf_counter() - t0) * 1000)
            assert response.status == 200

        await asyncio.gather(*(reply(i) for i in range(REPLIES)))
        deadline = time.monotonic() + 30
        # Handled = each reply caused a post or ephemeral in the stand-in (the next question or a notice).
        while time.monotonic() < deadline:
            answered = [c for c in standin.calls[before:] if c.method in {"chat.postMessage", "chat.postEphemeral"}]
            if len(answered) >= REPLIES:
                break
            await asyncio.sleep(0.01)
        handled = time.perf_counter() - started
        await asyncio.sleep(0.2)
        done.set()
        await asyncio.gather(*pollers)
    return health, commands, acks, handled


async def run(rounds: int) -> None:
    standin = await StandIn().start()
    with tempfile.TemporaryDirectory() as tmp:
        context = AppContext.create(make_settings(standin, Path(tmp) / "bench.db"))
        runner, url = await start_web_app(context)
        health: list[float] = []
        commands: list[float] = []
        acks: list[float] = []
        handled: list[float] = []
        async with aiohttp.ClientSession() as session:
            slack = Slack(url, standin, session)
            for n in range(1, rounds + 1):
                h, c, a, seconds = await round_(slack, standin, n)
                health += h
                commands += c
                acks += a
                handled.append(seconds)
        await runner.cleanup()
        context.close()
    await standin.stop()
    print(f"rounds of {REPLIES} x {REPLY_CHARS:,}-char replies   {rounds}")
    print(f"replies handled in (s) max        {max(handled):.2f}")
    for label, values in (("/healthz", health), ("help ack", commands), ("reply ack", acks)):
        print(
            f"{label:<9} p50/p99/max (ms)        {statistics.median(values):6.1f} / {pct(values, 99):6.1f} / "
            f"{max(values):6.1f}   ({len(values)} requests)"
        )
    print(f"goal: /healthz p99 < 100 ms        {'met' if pct(health, 99) < 100 else 'NOT met'}")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
