"""Fuzz the real Slack endpoint with many hypothesis cases and print what went wrong, as counts.

Same strategies and server as tests/slack/test_fuzz.py (signed random and malformed commands, events,
clicks and shortcuts; forged, stale, future, non-numeric and missing timestamps; junk; huge bodies),
without stopping at the first failure. Goals: 0 on every line marked "goal 0".
Run on demand: .venv/bin/python bench/bench_fuzz.py [CASES]   (default 10,000)
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.slack.fuzz import SLOW_SECONDS, Case, Target, cases, unverified


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(n: int) -> None:
    logging.basicConfig(level=logging.WARNING, handlers=[logging.NullHandler()])
    errors = Counter[str]()
    labels = Counter[str]()
    statuses = Counter[int]()
    seconds: dict[bool, list[float]] = {True: [], False: []}
    server_errors = slow = 0
    with tempfile.TemporaryDirectory() as tmp:
        target = Target(Path(tmp) / "fuzz.db").start()
        handler_failures = _count_errors(errors)
        started = time.perf_counter()
        strategies = cases(target)

        profile = settings(
            max_examples=-(-n // len(strategies)),
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )

        def one(case: Case) -> None:
            nonlocal server_errors, slow
            outcome = target.send(case)
            labels[case.label] += 1
            statuses[outcome.status] += 1
            seconds[case.signed].append(outcome.seconds)
            server_errors += outcome.status >= 500
            slow += outcome.seconds > SLOW_SECONDS

        for strategy in strategies.values():
            profile(given(case=strategy)(one))()
        elapsed = time.perf_counter() - started
        rejections = _time_rejections(target)
        target.settle(seconds=10)
        unverified_calls = target.unverified_calls()
        tracebacks, canaries = target.watch.tracebacks, target.watch.canaries
        target.stop()
        logging.getLogger().removeHandler(handler_failures)
    total = sum(labels.values())
    print(f"cases sent                          {total} in {elapsed:.0f} s")
    print(f"responses >= 500         (goal 0)   {server_errors}")
    print(f"tracebacks in the log    (goal 0)   {tracebacks}")
    print(f"outbound calls from unverified (goal 0) {unverified_calls}")
    print(f"requests slower than 1 s (goal 0)   {slow}")
    print(f"log lines with user text (goal 0)   {canaries}")
    print(f"handler failures (ERROR lines)      {sum(errors.values())}  {dict(errors.most_common(5))}")
    for signed, values in seconds.items():
        if values:
            name = "signed  " if signed else "rejected"
            print(
                f"{name} p50/p99/max            {statistics.median(values) * 1000:6.1f} / "
                f"{pct(values, 99) * 1000:6.1f} / {max(values) * 1000:6.1f} ms  ({len(values)} requests)"
            )
    within = sum(ms < REJECT_MS for ms in rejections)
    print(
        f"bad timestamps and signatures      {len(rejections)} sent, {within / len(rejections):.1%} rejected under "
        f"{REJECT_MS} ms (p99 {pct(rejections, 99):.1f} ms, round trip on a shared machine)"
    )
    print("statuses                            " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    print("cases by kind                       " + ", ".join(f"{k}: {v}" for k, v in sorted(labels.items())))


REJECT_MS = 10
BAD = ("forged", "stale", "future", "non_numeric", "missing", "lying")


def _time_rejections(target: Target, each: int = 200) -> list[float]:
    """Round trips of forged, stale, future, non-numeric, missing-header and over-the-cap requests."""
    strategy = unverified(target.trap_url)
    examples: list[Case] = []

    @settings(max_examples=each * 20, deadline=None, database=None, phases=[Phase.generate])
    @given(case=strategy)
    def collect(case: Case) -> None:
        if case.label in BAD and sum(c.label == case.label for c in examples) < each:
            examples.append(case)

    collect()
    times = []
    for case in examples:
        outcome = target.send(case)
        assert outcome.status in {401, 413}, case.label
        times.append(outcome.seconds * 1000)
    return times


def _count_errors(errors: Counter[str]) -> logging.Handler:
    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors[record.getMessage()[:80]] += 1

    handler = Count()
    logging.getLogger().addHandler(handler)
    return handler


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
