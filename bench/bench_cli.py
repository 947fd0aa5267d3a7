"""How fast one-shot commands start: `maatwerk signaal "…" --json` and `printf 'help\\n' | maatwerk shell`.

Each runs ROUNDS times as a fresh process (wall time to exit, peak RSS from the kernel); a bare
`python -c pass` is the floor. Run: .venv/bin/python bench/bench_cli.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAATWERK = [sys.executable, "-m", "bot"]
COMMANDS: list[tuple[str, list[str], bytes]] = [
    ("python -c pass", [sys.executable, "-c", "pass"], b""),
    ('maatwerk signaal "…" --json', [*MAATWERK, "signaal", "mevrouw kan de huur niet betalen", "--json"], b""),
    ("printf 'help\\n' \\| maatwerk shell", [*MAATWERK, "shell"], b"help\n"),
]


def run(argv: list[str], stdin: bytes) -> tuple[float, float]:
    """Wall seconds to exit and peak RSS (MiB) of one fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{argv} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, {rounds} runs each")
    print("| command | median s | max s | peak RSS MiB |")
    print("|---|---|---|---|")
    for label, argv, stdin in COMMANDS:
        results = [run(argv, stdin) for _ in range(rounds)]
        times = [seconds for seconds, _ in results]
        peak = max(rss for _, rss in results)
        print(f"| `{label}` | {statistics.median(times):.2f} | {max(times):.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
