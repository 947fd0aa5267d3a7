"""Run the `maatwerk` command line as a real process, the way a user does."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_maatwerk(
    *args: str, stdin: str | None = None, db: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot <args>` from the repository, with an optional database and extra environment."""
    environment = {**os.environ, **(env or {})}
    if db is not None:
        environment["MAATWERK_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=60,
        check=False,
    )
