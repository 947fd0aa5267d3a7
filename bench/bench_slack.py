"""Benchmark the Slack app over real HTTP: handler latency percentiles and memory.

Starts the Web API stand-in and the app on localhost, sends signed `/maatwerk signaal …` commands and
measures the time until the HTTP answer (ack) and until the answer reaches response_url.
Run on demand: .venv/bin/python bench/bench_slack.py [N]
"""

from __future__ import annotations

import asyncio
import resource
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

TEXTS = [
    "mevrouw kan de huur niet betalen sinds haar man overleed",
    "meneer reageert niet op brieven en wantrouwt de overheid",
    "grote schulden, deurwaarder en een zieke partner",
    "wat eten we vanavond",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(n: int) -> None:
    standin = await StandIn().start()
    with tempfile.TemporaryDirectory() as tmp:
        context = AppContext.create(make_settings(standin, Path(tmp) / "bench.db"))
        runner, url = await start_web_app(context)
        acks: list[float] = []
        answers: list[float] = []
        async with aiohttp.ClientSession() as session:
            slack = Slack(url, standin, session)
            await slack.command("help")  # warm-up: auth.test, caches
            await standin.wait_for("response_url")
            for i in range(n):
                before = len(standin.of("response_url"))
                start = time.perf_counter()
                response = await slack.command(f"signaal {TEXTS[i % len(TEXTS)]}")
                acks.append((time.perf_counter() - start) * 1000)
                assert response.status == 200
                await standin.wait_for("response_url", count=before + 1)
                answers.append((time.perf_counter() - start) * 1000)
        await runner.cleanup()
        context.close()
    await standin.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"requests               {n}")
    for label, values in (("ack", acks), ("answer", answers)):
        p50, p95, p99 = statistics.median(values), pct(values, 95), pct(values, 99)
        print(f"{label:<6} p50/p95/p99     {p50:7.2f} / {p95:7.2f} / {p99:7.2f} ms")
    print(f"ratio answer/ack p50   {statistics.median(answers) / statistics.median(acks):7.2f}x")
    print(f"max RSS (bot + stand-in + client in one process) {rss_mb:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
