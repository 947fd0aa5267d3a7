"""The PostgreSQL backend: the same storage interface (bot.store.contracts) on a server database, so
several `maatwerk serve` processes, on one machine or several, can share one store.

Chosen by `MAATWERK_DB=postgresql://…` (bot.store.db.open_store); psycopg is imported only then.

Synchronous psycopg 3 with `psycopg_pool.ConnectionPool`, not async psycopg: the storage interface is
synchronous (services call it through `asyncio.to_thread`, the terminal calls it directly), and the
SQLite backend and every store module share that one interface. A pool of blocking connections used
from worker threads fits it as it is; an async backend would need a second, async interface and a second
copy of every store module. The event loop never waits on the database either way.

The store modules run the same SQL on both backends: `?` placeholders (turned into psycopg's `%s` here),
`INSERT … ON CONFLICT DO NOTHING` for claims, and `for_update(db)` (bot.store.migrations), which adds
`FOR UPDATE` (dialogue steps: a second step of one dialogue waits for the first and then sees it) or
`FOR UPDATE SKIP LOCKED` (outbox and stale-lesson claims: a worker passes over rows another worker is
claiming) where SQLite relies on BEGIN IMMEDIATE holding the whole file. Transactions run at READ
COMMITTED. Times are ISO-8601 text in both backends, so comparisons and ordering are the same.

Erasure and what it means for retention. A purge UPDATEs the text out of live rows or DELETEs them, in one
transaction, so no query sees the text afterwards. PostgreSQL keeps the old row versions ("dead tuples")
in the table files until VACUUM removes them, so `erase_traces()` runs `VACUUM answers, dialogues`
right after every purge (autovacuum would do it later). Plain VACUUM frees the space but does not
overwrite it: the bytes may stay in the data files until new rows reuse the space (VACUUM FULL
rewrites a table, but takes an exclusive lock, so the bot does not run it). Two more copies remain
outside the tables: the write-ahead log holds the old text until its segments are recycled (at later
checkpoints, or longer with `wal_keep_size`, replication slots or WAL archiving), and every backup
(pg_dump, base backups, archived WAL) holds it until that backup is deleted. The retention promise
therefore holds for backups only when they are kept no longer than `MAATWERK_RETENTION_DAYS`; the
README says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from bot.store import migrations
from bot.store.contracts import Deliveries, Dialogues, Outbox, StoreUnavailableError
from bot.store.migrations import POSTGRES

POOL_MAX = 8  # worker threads that may hold a connection at once (asyncio.to_thread and the job loops)
CONNECT_TIMEOUT_S = 10
# Tables whose dead row versions may hold purged text (see the module docstring).
PURGED_TABLES = ("answers", "dialogues")


def to_psycopg(sql: str) -> str:
    """The store modules' `?` placeholders as psycopg's `%s` (a literal % doubled first)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresHandle:
    """One open transaction, with the two calls the store modules make on SQLite's (bot.store.db.SqliteHandle)."""

    dialect = POSTGRES

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self.conn.execute(to_psycopg(sql), list(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(to_psycopg(sql), list(params))
            rows = cursor.fetchall()
        return iter(rows)


def where(url: str) -> str:
    """host:port/database of a URL, for messages (never the password)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "een onleesbare URL"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


def _check_reachable(url: str) -> None:
    """One connection before the pool starts, so a wrong URL or a server that is down fails at once."""
    try:
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
    except psycopg.Error as exc:
        raise StoreUnavailableError(
            f"De PostgreSQL-database ({where(url)}) is niet bereikbaar. Controleer MAATWERK_DB en of de server draait."
        ) from exc


class PostgresStore:
    """The PostgreSQL implementation of bot.store.contracts.StoreBackend: a pool of connections, one per
    transaction, migrations applied at open (each step in its own transaction, under an advisory lock)."""

    def __init__(self, url: str, max_size: int = POOL_MAX) -> None:
        self.url = url
        _check_reachable(url)
        self._pool = ConnectionPool(url, min_size=1, max_size=max_size, open=False, name="maatwerk")
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except BaseException:
            self._pool.close()
            raise
        from bot.store.db import _import_store_modules

        _import_store_modules()
        migrations.apply_migrations(transaction=self.transaction)

    @contextmanager
    def transaction(self) -> Iterator[PostgresHandle]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self._pool.connection() as conn, conn.transaction():
            yield PostgresHandle(conn)

    @contextmanager
    def read(self) -> Iterator[PostgresHandle]:
        with self.transaction() as handle:
            yield handle

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
        """After a purge: VACUUM the tables, so dead row versions holding the old text are removed."""
        with self._pool.connection() as conn:
            conn.autocommit = True  # VACUUM cannot run inside a transaction block
            try:
                conn.execute(f"VACUUM {', '.join(PURGED_TABLES)}")
            finally:
                conn.autocommit = False

    def close(self) -> None:
        self._pool.close()
