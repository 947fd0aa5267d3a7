"""Open the SQLite database, apply migrations, and run short transactions safely.

The connection is in autocommit mode; `transaction()` wraps work in BEGIN IMMEDIATE so that a
load-modify-save is atomic across threads and processes (two bot instances on one file). The store modules
make two calls on a transaction's handle, execute() and query() (the same two as PostgreSQL's handle);
`SqliteHandle` answers them on the connection itself. It used to be sqlite-utils' Database, which has the
same two calls but imports numpy at every start (~65 ms of a 0.5 s start, before /healthz can answer).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.store import migrations
from bot.store.contracts import Deliveries, Dialogues, Outbox, StoreBackend

_BUSY_TIMEOUT_MS = 30_000
Params = Sequence[Any] | Mapping[str, Any] | None


class SqliteHandle:
    """A SQLite connection with the two calls the store modules make: execute(sql, params) with ? placeholders
    (a DB-API cursor) and query(sql, params) (dict rows, for SELECTs). Parameters as sqlite-utils took them:
    a sequence, a dict for :name placeholders, or None."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # As sqlite-utils' Database did when it opened the connection.
        conn.execute("PRAGMA recursive_triggers = on")

    def execute(self, sql: str, params: Params = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, () if params is None else params)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        cursor = self.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)


class Store:
    """One database connection shared by the store modules, with a process-wide lock.

    The SQLite implementation of bot.store.contracts.StoreBackend."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000
        )
        self.db = SqliteHandle(conn)
        self._lock = threading.RLock()
        self.db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
            # NORMAL under WAL: a commit is durable across a process crash (what commit-before-ack needs),
            # without an fsync per transaction; a power cut may lose the last transactions, which Slack's
            # retry of an unacknowledged request covers. FULL fsynced every dedupe insert and answer.
            self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        # Freed pages are zeroed, so a purged answer does not survive in the file's free space.
        self.db.execute("PRAGMA secure_delete = ON")
        _import_store_modules()
        with self._lock:
            migrations.apply_migrations(self.db)

    @contextmanager
    def transaction(self) -> Iterator[SqliteHandle]:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[SqliteHandle]:
        """The connection for reads, under the lock, so a read never sees another thread's open transaction."""
        with self._lock:
            yield self.db

    def dialogues(self) -> Dialogues:
        from bot.store.dialogues import DialogueStore

        return DialogueStore(self)

    def deliveries(self) -> Deliveries:
        from bot.store.events import DeliveryStore

        return DeliveryStore(self)

    def outbox(self) -> Outbox:
        from bot.store.outbox import OutboxStore

        return OutboxStore(self)

    def erase_traces(self) -> None:
        """After a purge: old page images of purged text may still sit in the WAL; checkpoint them away."""
        with self.read() as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        # Under the lock: a transaction running in a worker thread (asyncio.to_thread) finishes first.
        with self._lock:
            self.db.conn.close()


def _import_store_modules() -> None:
    """Import every store module so its migrations are registered before they are applied.

    Explicit imports (not a directory scan), so "go to definition" finds them; a new store module with
    migrations adds itself here."""
    from bot.store import dialogues, digests, events, installations, outbox, schedules  # noqa: F401


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_store(target: Path | str) -> StoreBackend:
    """The backend `MAATWERK_DB` names: a `postgresql://…` URL opens PostgreSQL, anything else is the path
    of a SQLite file (or ":memory:"). psycopg is imported only for a URL, so SQLite starts as before."""
    if is_postgres_url(target):
        from bot.store.postgres import PostgresStore

        return PostgresStore(str(target))
    return Store(target)
