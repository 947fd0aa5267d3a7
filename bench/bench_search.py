"""Benchmark retrieval: index build time, query time p50/p99 over the eval set, memory.

Run on demand: .venv/bin/python bench/bench_search.py  (prints figures; not a test)
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.deck import load_deck
from bot.core.search import SearchIndex
from tests.eval.evaluate import PlainBM25

EVAL = Path(__file__).resolve().parents[1] / "tests" / "eval"
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

    texts = [case["tekst"] for case in yaml.safe_load((EVAL / "signalen.yaml").read_text(encoding="utf-8"))]
    texts += [case["tekst"] for case in yaml.safe_load((EVAL / "argumenten.yaml").read_text(encoding="utf-8"))]
    texts += list(yaml.safe_load((EVAL / "onzin.yaml").read_text(encoding="utf-8")))
    for text in texts:  # warm the lemma cache as a running bot would be
        index.signals(text)
    ours: list[float] = []
    base: list[float] = []
    for _ in range(ROUNDS):
        for text in texts:
            t0 = time.perf_counter()
            index.signals(text)
            index.arguments(text)
            ours.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            baseline.rank(text)
            base.append((time.perf_counter() - t0) * 1000)
    print(f"index build            {build_ms:8.1f} ms   peak memory while building {peak / 1024:8.0f} KiB")
    print(f"queries                {len(ours):8d}     ({len(texts)} texts x {ROUNDS} rounds, signals + arguments)")
    print(f"query p50 / p99        {statistics.median(ours):8.3f} / {percentile(ours, 99):.3f} ms")
    print(f"plain BM25 p50 / p99   {statistics.median(base):8.3f} / {percentile(base, 99):.3f} ms (signals only)")
    print(f"ratio p50 ours/plain   {statistics.median(ours) / statistics.median(base):8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
