"""What `maatwerk serve` leaves out on its way to /healthz: libraries the first answers need, but /healthz does
not, are imported by the warm-up thread once the port is open (bot.services.context), not before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.slack.conftest import BOT_TOKEN, REPO, SIGNING_SECRET

DEFERRED = ("phonenumbers", "stdnum", "holidays", "simplemma")
WARMED = ("phonenumbers", "stdnum", "holidays", "simplemma")

# serve's start (bot.cli.slack._serve) up to the app it runs, then the warm-up that runs beside it.
PROBE = """
import json, sys
from bot.cli.slack import _context
from bot.adapters.slack.server import build_web_app
context = _context("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
build_web_app(context)
with context.store.read() as db:
    db.execute("SELECT 1").fetchone()
names = sys.argv[1:]
before = [name for name in names if name in sys.modules]
context._warm_up()
after = [name for name in names if name in sys.modules]
context.close()
print(json.dumps({"before": before, "after": after}))
"""


def test_serve_imports_the_deferred_libraries_only_in_the_warm_up(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "MAATWERK_DB": str(tmp_path / "start.db"),
        "MAATWERK_CACHE_DIR": str(tmp_path / "cache"),
    }
    # A start after the first: the index and language tables are in the cache (the first start builds them,
    # which needs the lemmatizer, once per content version).
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.core.deck import load_deck; from bot.core.search import SearchIndex; "
            "SearchIndex(load_deck()).warm()",
        ],
        cwd=REPO,
        env=env,
        timeout=120,
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *DEFERRED],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["before"] == []
    assert set(WARMED) <= set(seen["after"])
