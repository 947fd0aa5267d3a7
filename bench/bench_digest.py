"""Benchmark the monthly digest: building it from N casussen held in a channel (summaries and
aggregation, with the five months before it computed live, as for a channel's first digest) and
drawing its chart. Prints the times and the PNG size.

Run on demand: .venv/bin/python bench/bench_digest.py [casussen-per-month]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.services.digest import DigestService
from bot.services.digest_chart import render_chart
from bot.settings import Settings
from bot.store.dialogues import ThreadKey

ANSWERS = (
    "mevrouw kan de huur niet betalen sinds haar man overleed",
    "de schulden lopen op en de deurwaarder staat voor de deur",
    "de inwoner is boos en dient een klacht in over de gemeente",
    "meneer begrijpt de brief niet en heeft geen computer",
    "de uitkering stopt omdat een formulier te laat was, de kinderen hebben geen eten",
)
MONTHS = ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11")


def main(per_month: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        context = AppContext.create(Settings(MAATWERK_DB=Path(folder) / "bench.db"))
        casus = CasusService(context)
        for month_number, month in enumerate(MONTHS):
            at = datetime.fromisoformat(f"{month}-15T10:00:00+00:00").astimezone(UTC)
            for number in range(per_month):
                key = ThreadKey("T1", "C1", f"{month_number}.{number}")
                casus.start(key, DialogueKind.CASUS, f"casus {number}", "U1", at)
                for answer in range(3):
                    casus.answer(key, f"U{answer}", ANSWERS[(number + answer) % len(ANSWERS)], at)
        service = DigestService(context)
        build_times, chart_times = [], []
        for _ in range(3):
            start = time.perf_counter()
            digest = service.build("C1", "2026-11")
            build_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            png = render_chart(digest)
            chart_times.append(time.perf_counter() - start)
        prompt = asyncio.run(service.prompt("C1", "2026-11"))
        context.close()
    total = per_month * len(MONTHS)
    print(f"casussen: {per_month} per maand, {total} over {len(MONTHS)} maanden")
    print(f"digest bouwen (6 maanden live): mediaan {statistics.median(build_times) * 1000:.0f} ms")
    print(f"grafiek tekenen: mediaan {statistics.median(chart_times) * 1000:.0f} ms, {len(png) / 1024:.0f} KiB")
    print(f"casussen in de digest: {prompt.digest.casussen}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
