"""Benchmark the casus dialogue: pure step(), one answer through the service (redact + transaction on a
file database), redaction alone, two processes answering one dialogue at once, and the summary.

Run on demand: .venv/bin/python bench/bench_dialogue.py  (prints figures; not a test)
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.deck import load_deck
from bot.core.dialogue import Answer, Back, DialogueKind, Skip, start, step
from bot.core.privacy import redact
from bot.core.search import SearchIndex
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.db import open_store
from bot.store.dialogues import ThreadKey

TEXT = "Mevrouw (BSN 111222333) belde vanaf 06-12345678 over haar huurachterstand; rekening NL91ABNA0417164300."
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PER_PROCESS = 15


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _context(path: Path) -> AppContext:
    deck = load_deck()
    return AppContext(Settings(db_path=path), deck, SearchIndex(deck), open_store(path))  # type: ignore[call-arg]


def _answer_many(path: str, author: str, key: ThreadKey) -> None:
    service = CasusService(_context(Path(path)))
    for n in range(PER_PROCESS):
        service.answer(key, author, f"{author} {n}", datetime.now(UTC))
    service.context.close()


def main() -> None:
    deck = load_deck()
    state, _ = start(DialogueKind.CASUS, deck, T0)
    events = [Answer("U1", "x"), Skip("U2"), Back("U1")] * 2000
    started = time.perf_counter()
    for event in events:
        state, _ = step(state, event, deck, T0 + timedelta(seconds=1))
    per_step = (time.perf_counter() - started) / len(events) * 1e6
    print(f"step(): {per_step:.1f} µs per event over {len(events)} events")

    timings = []
    for _ in range(500):
        t = time.perf_counter()
        redact(TEXT, T0.date())
        timings.append((time.perf_counter() - t) * 1e3)
    print(f"redact(): p50 {statistics.median(timings):.3f} ms, p99 {percentile(timings, 99):.3f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        service = CasusService(_context(path))
        key = ThreadKey("T1", "C1", "1.1")
        service.start(key, DialogueKind.BELEID, "Kwijtschelding", "U1", T0)
        timings = []
        for n in range(44):
            t = time.perf_counter()
            service.answer(key, "U1", f"{TEXT} {n}", T0)
            timings.append((time.perf_counter() - t) * 1e3)
        p50, p99 = statistics.median(timings), percentile(timings, 99)
        print(f"service.answer() on a file DB: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
        record = service.find(key)
        assert record is not None
        t = time.perf_counter()
        service.act(record.id, "afronden", "U1", T0)
        print(f"finish incl. summary + suggestions: {(time.perf_counter() - t) * 1e3:.1f} ms")
        service.context.close()

        race_path = Path(tmp) / "race.db"
        service = CasusService(_context(race_path))
        race_key = ThreadKey("T1", "C1", "2.2")
        service.start(race_key, DialogueKind.BELEID, "Race", "U1", T0)
        t = time.perf_counter()
        workers = [
            multiprocessing.Process(target=_answer_many, args=(str(race_path), f"U{i}", race_key)) for i in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        record = service.find(race_key)
        assert record is not None
        taken = [a.question_id for a in service.dialogues.answers(record.id)]
        duplicates = len(taken) - len(set(taken))
        print(
            f"2 processes x {PER_PROCESS} answers: {len(taken)} stored, {duplicates} questions taken twice, "
            f"position {record.state.position}, {time.perf_counter() - t:.2f} s incl. start-up"
        )
        service.context.close()


if __name__ == "__main__":
    main()
