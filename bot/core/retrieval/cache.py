"""The search index cached on disk, once per content version, so that a start does not rebuild it.

A plain JSON file (no pickles): what the analyzer learnt from the deck, the concept groups, the word
classes and every card's postings. Its name carries a fingerprint of everything the index is built from
(the files of content/, the retrieval code, the versions of simplemma, PyStemmer and wordfreq), so a change
to any of them builds and writes a new one. A missing, unreadable or malformed cache is rebuilt; a cache
directory that cannot be written is no error (the index is then built at every start, as without a cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_FORMAT = 1
CACHE_ENV = "MAATWERK_CACHE_DIR"
_CODE_DIR = Path(__file__).resolve().parent


def default_cache_dir() -> Path:
    """$MAATWERK_CACHE_DIR, else $XDG_CACHE_HOME/maatwerk, else ~/.cache/maatwerk."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "maatwerk"


def fingerprint(content_dir: Path, rules_path: Path) -> str:
    digest = hashlib.sha256(f"format {CACHE_FORMAT}\n".encode())
    for package in ("simplemma", "PyStemmer", "wordfreq"):
        digest.update(f"{package} {metadata.version(package)}\n".encode())
    files = [*sorted(_CODE_DIR.glob("*.py")), *sorted(content_dir.glob("*.yaml")), rules_path]
    for path in files:
        digest.update(f"{path.name} {path.stat().st_size}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_path(cache_dir: Path, content_dir: Path, rules_path: Path) -> Path:
    return cache_dir / f"zoekindex-{fingerprint(content_dir, rules_path)[:24]}.json"


def read(path: Path) -> dict[str, Any] | None:
    """The cached state, or None when there is none that this code can use."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("format") != CACHE_FORMAT:
        return None
    return state


def write(path: Path, state: dict[str, Any]) -> bool:
    """Write the state atomically (a reader never sees half a file); False when the directory is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as out:
            json.dump({**state, "format": CACHE_FORMAT}, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(out.name, path)
    except OSError:
        return False
    return True
