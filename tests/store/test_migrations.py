from pathlib import Path

from bot.store import migrations
from bot.store.db import open_store


def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    store = open_store(path)
    recorded = [row["name"] for row in store.db.query("SELECT name FROM _migrations ORDER BY name")]
    assert recorded == migrations.registered()
    store.close()
    again = open_store(path)
    assert migrations.apply_migrations(again.db) == []
    again.close()


def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    store = open_store(tmp_path / "r.db")
    try:
        with store.transaction() as db:
            db.execute("INSERT INTO processed_events (key, seen_at) VALUES ('x', 'now')")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.db.execute("SELECT count(*) FROM processed_events").fetchone()[0] == 0
