"""The SQLite settings the request path relies on: WAL, and synchronous=NORMAL (no fsync per commit)."""

from __future__ import annotations

from pathlib import Path

from bot.store.db import open_store

SYNCHRONOUS_NORMAL = 1


def test_a_file_store_uses_wal_with_synchronous_normal(tmp_path: Path) -> None:
    store = open_store(tmp_path / "pragmas.db")
    try:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == SYNCHRONOUS_NORMAL
    finally:
        store.close()


def test_a_commit_is_visible_to_a_second_connection_at_once(tmp_path: Path) -> None:
    """NORMAL still writes the commit to the WAL before it returns; another process sees it."""
    first, second = open_store(tmp_path / "shared.db"), open_store(tmp_path / "shared.db")
    try:
        with first.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS probe (n INTEGER)")
            db.execute("INSERT INTO probe VALUES (42)")
        assert second.db.execute("SELECT n FROM probe").fetchone()[0] == 42
    finally:
        first.close()
        second.close()
