"""The SQLite handle the store modules write through: the calls they make, as sqlite-utils' Database made them."""

from __future__ import annotations

from bot.store.db import Store


def test_query_gives_dict_rows_and_takes_positional_named_or_no_parameters() -> None:
    store = Store(":memory:")
    try:
        with store.transaction() as db:
            db.execute("CREATE TABLE probe (n INTEGER, word TEXT)")
            db.execute("INSERT INTO probe VALUES (?, ?)", [1, "een"])
            db.execute("INSERT INTO probe VALUES (:n, :word)", {"n": 2, "word": "twee"})
        with store.read() as db:
            assert list(db.query("SELECT n, word FROM probe ORDER BY n")) == [
                {"n": 1, "word": "een"},
                {"n": 2, "word": "twee"},
            ]
            assert list(db.query("SELECT word FROM probe WHERE n = ?", [2])) == [{"word": "twee"}]
            assert db.execute("SELECT count(*) FROM probe", None).fetchone()[0] == 2
    finally:
        store.close()


def test_recursive_triggers_stay_on_as_sqlite_utils_set_them() -> None:
    store = Store(":memory:")
    try:
        with store.read() as db:
            assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    finally:
        store.close()
