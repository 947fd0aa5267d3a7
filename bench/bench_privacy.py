"""Benchmark redaction on the labelled corpus (tests/privacy): recall per category, over-redaction of
ordinary caseworker sentences, time per 1,000-character answer (p50/p99), a 40,000-character token,
and the start-up cost and memory of loading the name lookups (lean deduce).

Run on demand: .venv/bin/python bench/bench_privacy.py [--full-deduce]
(prints figures; not a test). --full-deduce also measures deduce as shipped (all lookup structures,
slow: seconds and about a gigabyte; the first run builds its cache, a minute or two) for comparison:
its load cost, and its recall and over-redaction on the same corpus (a case counts as caught when the
value no longer appears, more lenient than the exact check above), next to our finders without names.
"""

from __future__ import annotations

import logging
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.privacy import redact  # noqa: E402
from tests.privacy.corpus import all_cases, name_leaked, ordinary_sentences  # noqa: E402

TODAY = date(2026, 11, 24)

LOAD_PROBE = """
import sys, time
sys.path.insert(0, {root!r})
def rss():
    with open('/proc/self/status') as status:
        return next(int(line.split()[1]) for line in status if line.startswith('VmRSS')) / 1024
import bot.core.privacy as privacy
before, started = rss(), time.perf_counter()
{load}
print(f"{{time.perf_counter() - started:.2f}} {{rss() - before:.0f}}")
"""
LEAN = "privacy.warm_up()"
FULL = """
import logging
import deduce
model = deduce.Deduce()
model.deidentify('mevrouw Jansen')
logging.disable()
"""


def load_cost(load: str) -> tuple[float, float]:
    output = subprocess.run(
        [sys.executable, "-c", LOAD_PROBE.format(root=str(ROOT), load=load)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(output[-2]), float(output[-1])


def recall() -> None:
    cases = all_cases()
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for case in cases:
        text = redact(case.text, TODAY).text
        total[case.category] += 1
        ok = not name_leaked(case, text) if case.category == "naam" else text == case.expected
        caught[case.category] += ok
    print("recall per category (exact: the value replaced, nothing else changed):")
    for category in total:
        share = 100 * caught[category] / total[category]
        print(f"  {category:14} {caught[category]:3}/{total[category]:<3} {share:6.1f} %")
    ordinary = ordinary_sentences()
    changed = sum(redact(sentence, TODAY).text != sentence for sentence in ordinary)
    print(
        f"over-redaction: {changed}/{len(ordinary)} ordinary sentences changed ({100 * changed / len(ordinary):.1f} %)"
    )


def compare_full_deduce() -> None:
    """deduce as shipped vs our number/date finders without names, on the same corpus."""
    import deduce

    from bot.core import privacy

    model = deduce.Deduce()
    logging.disable()
    cases = all_cases()
    finders = privacy.FINDERS
    without_names = tuple((kind, find) for kind, find in finders if kind != privacy.NAME)
    print("recall, lenient (value gone): deduce as shipped | our finders without names | ours with names")
    total: Counter[str] = Counter()
    scores: dict[str, Counter[str]] = {"deduce": Counter(), "patterns": Counter(), "ours": Counter()}
    for case in cases:
        total[case.category] += 1
        outputs = {"deduce": model.deidentify(case.text).deidentified_text}
        privacy.FINDERS = without_names
        outputs["patterns"] = redact(case.text, TODAY).text
        privacy.FINDERS = finders
        outputs["ours"] = redact(case.text, TODAY).text
        for label, text in outputs.items():
            gone = not name_leaked(case, text) if case.category == "naam" else case.value not in text
            scores[label][case.category] += gone
    for category in total:
        row = " | ".join(f"{scores[label][category]:3}/{total[category]}" for label in ("deduce", "patterns", "ours"))
        print(f"  {category:14} {row}")
    ordinary = ordinary_sentences()
    changed = sum(model.deidentify(sentence).deidentified_text != sentence for sentence in ordinary)
    print(f"  over-redaction by deduce as shipped: {changed}/{len(ordinary)} ordinary sentences changed")


def timing() -> None:
    rng = random.Random(1)
    pool = [case.text for case in all_cases()] + ordinary_sentences()
    answers = []
    for _ in range(400):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 1000:
            parts.append(rng.choice(pool))
        answers.append(" ".join(parts)[:1000])
    redact(answers[0], TODAY)
    wall, cpu = [], []
    for answer in answers:
        started, started_cpu = time.perf_counter(), time.thread_time()
        redact(answer, TODAY)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    for label, times in (("wall", wall), ("cpu", cpu)):
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(
            f"1,000-character answer ({label} time): p50 {statistics.median(times):.2f} ms, p99 {p99:.2f} ms "
            f"({len(times)} answers)"
        )
    print(f"  (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall time includes waiting)")
    for label, token in [
        ("digits", "1" * 40_000),
        ("letters", "a" * 40_000),
        ("a@", "a@" * 20_000),
        ("NL91", "NL91" * 10_000),
        ("mixed", "ab1." * 10_000),
    ]:
        started = time.perf_counter()
        redact(token, TODAY)
        print(f"40,000-character token ({label}): {(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    seconds, mib = load_cost(LEAN)
    print(f"name lookups (lean deduce), loaded on first use: {seconds:.2f} s, +{mib:.0f} MiB RSS")
    if "--full-deduce" in sys.argv:
        seconds, mib = load_cost(FULL)
        print(f"deduce as shipped (all lookup structures): {seconds:.2f} s, +{mib:.0f} MiB RSS")
    recall()
    timing()
    if "--full-deduce" in sys.argv:
        compare_full_deduce()


if __name__ == "__main__":
    main()
