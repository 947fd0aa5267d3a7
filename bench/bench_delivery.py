"""Benchmark weekly-lesson fan-out: 500 channels through the Slack stand-in, which enforces a rate limit
(429 + Retry-After: 1 beyond N posts per second). Prints total time against the lower bound the limit
allows (channels / N seconds) and checks that every channel got exactly one post.

Run on demand: .venv/bin/python bench/bench_delivery.py [channels] [posts-per-second]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.slack.app import build_client
from bot.adapters.slack.poster import SlackPoster
from bot.core.schedule import ChannelSchedule
from bot.services.context import AppContext
from bot.services.lessons import LessonDelivery
from bot.store import schedules
from tests.slack.conftest import make_settings
from tests.slack.standin import StandIn

NOW = datetime(2027, 3, 22, 8, 5, tzinfo=UTC)


async def run(channels: int, per_second: int) -> None:
    standin = await StandIn().start()
    standin.limit_rate("chat.postMessage", per_second)
    with tempfile.TemporaryDirectory() as tmp:
        context = AppContext.create(make_settings(standin, Path(tmp) / "bench.db"))
        for n in range(channels):
            schedule = ChannelSchedule(team="T1", channel=f"C{n:04d}")
            schedules.save_schedule(context.store, schedule, "UADMIN", datetime(2027, 3, 1, tzinfo=UTC))
        client = build_client(context)
        client.retry_handlers[-1].max_retry_count = 50  # type: ignore[attr-defined]
        delivery = LessonDelivery(context, SlackPoster(client))
        started = time.perf_counter()
        passes = 0
        sent = 0
        while sent < channels and passes < 10:
            report = await delivery.tick(NOW)
            sent += len(report.sent)
            passes += 1
        elapsed = time.perf_counter() - started
        context.close()
    await standin.stop()
    ok_posts = Counter(call.args["channel"] for call in standin.of("chat.postMessage") if call.args.get("metadata"))
    delivered = Counter(channel for channel, msgs in standin.messages.items() for _ in msgs)
    rate_limited = len(standin.of("chat.postMessage")) - sum(delivered.values())
    lower_bound = channels / per_second
    print(f"channels               {channels}")
    print(f"rate limit             {per_second} posts/s (stand-in answers 429 + Retry-After: 1 beyond it)")
    print(f"429 answers            {rate_limited}")
    print(f"scheduler passes       {passes}")
    print(f"total time             {elapsed:7.2f} s")
    print(f"lower bound            {lower_bound:7.2f} s  (channels / rate)")
    print(f"ratio total/bound      {elapsed / lower_bound:7.2f}x")
    counts = Counter(delivered.values())
    print(f"posts per channel      {dict(sorted(counts.items()))}  (channels with exactly 1: {counts.get(1, 0)})")
    print(f"channels attempted     {len(ok_posts)}")
    if set(delivered.values()) != {1} or len(delivered) != channels:
        raise SystemExit("FAILED: not every channel got exactly one post")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 500, int(sys.argv[2]) if len(sys.argv) > 2 else 50))
