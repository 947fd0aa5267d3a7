"""PostgreSQL specifics beyond the contract: the backend is chosen by the URL alone, migrations apply once
even when two instances start at the same moment, SQLite never loads the PostgreSQL driver, and a server
that cannot be reached gets a clear message."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.store import migrations
from bot.store.contracts import StoreBackend
from bot.store.db import Store, open_store
from tests.process import run_maatwerk
from tests.store.pg import pg_url, schema_url

needs_pg = pytest.mark.skipif(pg_url() is None, reason="no PostgreSQL server (MAATWERK_TEST_PG_URL)")


def _recorded(store: StoreBackend) -> list[str]:
    with store.read() as db:
        return [str(row[0]) for row in db.execute("SELECT name FROM _migrations ORDER BY name").fetchall()]


@needs_pg
def test_two_instances_starting_at_once_apply_every_migration_once(tmp_path: Path) -> None:
    url = schema_url(str(pg_url()), str(tmp_path))
    barrier = threading.Barrier(2)
    opened: list[StoreBackend] = []

    def start() -> None:
        barrier.wait()
        opened.append(open_store(url))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(opened) == 2
        assert not any(isinstance(store, Store) for store in opened)
        assert _recorded(opened[0]) == migrations.registered()
        assert migrations.apply_migrations(transaction=opened[1].transaction) == []
    finally:
        for store in opened:
            store.close()


@needs_pg
def test_a_failing_step_rolls_back_alone_and_is_tried_again(tmp_path: Path) -> None:
    url = schema_url(str(pg_url()), str(tmp_path))
    store = open_store(url)
    name = "9999_test_failing_step"
    migrations.migration_sql(name, ["CREATE TABLE half_done (x TEXT)", "SELECT * FROM no_such_table"])
    try:
        with pytest.raises(Exception, match="no_such_table"):
            migrations.apply_migrations(transaction=store.transaction)
        with store.read() as db:
            assert db.execute("SELECT to_regclass('half_done')").fetchone()[0] is None
        assert name not in _recorded(store)
    finally:
        del migrations._REGISTRY[name]
        store.close()


def test_a_file_path_opens_sqlite_without_loading_the_postgres_driver(tmp_path: Path) -> None:
    code = (
        "import sys; from bot.store.db import open_store; "
        f"s = open_store({str(tmp_path / 'x.db')!r}); s.close(); "
        "assert 'psycopg' not in sys.modules, 'psycopg loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_an_unreachable_server_gets_a_dutch_message_without_the_password() -> None:
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        result = run_maatwerk(
            "privacy", "retentie", env={"MAATWERK_DB": f"postgresql://bot:geheim-wachtwoord@127.0.0.1:{port}/maatwerk"}
        )
    assert result.returncode == 1
    assert f"De PostgreSQL-database (127.0.0.1:{port}/maatwerk) is niet bereikbaar" in result.stderr
    assert "Traceback" not in result.stderr
    assert "geheim-wachtwoord" not in result.stderr + result.stdout
