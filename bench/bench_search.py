"""Benchmark retrieval: index build time, query time p50/p99 over the eval set, memory.

Run on demand: .venv/bin/python bench/bench_search.py  (prints figures; not a test)
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.deck import load_deck
from bot.core.search import SearchIndex
from tests.eval.evaluate import PlainBM25, load_cases, load_unrelated

ROUNDS = 20


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> int:
    deck = load_deck()
    tracemalloc.start()
    start = time.perf_counter()
    index = SearchIndex(deck)
    build_ms = (time.perf_counter() - start) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    baseline = PlainBM25(deck, "signalen")

    texts = [str(case["tekst"]) for name in ("signalen.yaml", "argumenten.yaml") for case in load_cases(name)]
    texts += [text for kind in load_unrelated().values() for text in kind]
    for text in texts:  # warm the lemma cache as a running bot would be
        index.signals(text)
    signals: list[float] = []
    arguments: list[float] = []
    base: list[float] = []
    for _ in range(ROUNDS):
        for text in texts:
            t0 = time.perf_counter()
            index.signals(text)
            t1 = time.perf_counter()
            index.arguments(text)
            t2 = time.perf_counter()
            baseline.rank(text)
            t3 = time.perf_counter()
            signals.append((t1 - t0) * 1000)
            arguments.append((t2 - t1) * 1000)
            base.append((t3 - t2) * 1000)
    print(f"index build            {build_ms:8.1f} ms   peak memory while building {peak / 1024:8.0f} KiB")
    print(f"queries                {len(signals):8d}     ({len(texts)} texts x {ROUNDS} rounds, each kind)")
    print(f"signaal p50 / p99      {statistics.median(signals):8.3f} / {percentile(signals, 99):.3f} ms")
    print(f"argument p50 / p99     {statistics.median(arguments):8.3f} / {percentile(arguments, 99):.3f} ms")
    print(f"plain BM25 p50 / p99   {statistics.median(base):8.3f} / {percentile(base, 99):.3f} ms (signals)")
    print(f"ratio p50 signaal/plain {statistics.median(signals) / statistics.median(base):7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
