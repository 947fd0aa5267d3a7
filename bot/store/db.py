"""Open the SQLite database, apply migrations, and run short transactions safely.

The connection is in autocommit mode; `transaction()` wraps work in BEGIN IMMEDIATE so that a
load-modify-save is atomic across threads and processes (two bot instances on one file). Inside a
transaction use `db.execute` with SQL, not sqlite-utils table writers: those commit on their own.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from bot.store import migrations

_BUSY_TIMEOUT_MS = 30_000


class Store:
    """One database connection shared by the store modules, with a process-wide lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000
        )
        self.db = Database(conn)
        self._lock = threading.RLock()
        self.db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
            # NORMAL under WAL: a commit is durable across a process crash (what commit-before-ack needs),
            # without an fsync per transaction; a power cut may lose the last transactions, which Slack's
            # retry of an unacknowledged request covers. FULL fsynced every dedupe insert and answer.
            self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        _import_store_modules()
        with self._lock:
            migrations.apply_migrations(self.db)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.conn.close()


def _import_store_modules() -> None:
    """Import every store module so its migrations are registered before they are applied."""
    import importlib
    import pkgutil

    import bot.store as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in {"db", "migrations"}:
            importlib.import_module(f"bot.store.{module.name}")


def open_store(path: Path | str) -> Store:
    return Store(path)
