"""An ordered registry of schema migrations.

Each store module registers its own steps with `@migration("NNNN_name")`; they are applied in name
order, each once, each in its own transaction, and recorded in `_migrations`. Number ranges per module
keep the order stable: 0001-0099 db/events, 0100-0199 dialogues and their outbox, 0200-0299 schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database

Migration = Callable[[Database], None]
_REGISTRY: dict[str, Migration] = {}


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(func: Migration) -> Migration:
        if name in _REGISTRY and _REGISTRY[name] is not func:
            raise ValueError(f"migration {name!r} is registered twice")
        _REGISTRY[name] = func
        return func

    return register


def registered() -> list[str]:
    return sorted(_REGISTRY)


def apply_migrations(db: Database) -> list[str]:
    """Apply every registered migration not yet recorded; return the names applied now."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied_now: list[str] = []
    for name in registered():
        db.execute("BEGIN IMMEDIATE")
        try:
            done = db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone()
            if done is None:
                _REGISTRY[name](db)
                db.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                    [name, datetime.now(UTC).isoformat()],
                )
                applied_now.append(name)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return applied_now
