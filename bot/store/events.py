"""Processed Slack deliveries, so a retried event or command is answered once."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.store.db import Store
from bot.store.migrations import migration


@migration("0001_processed_events")
def _create_processed_events(db: Database) -> None:
    db.table("processed_events").create({"key": str, "seen_at": str}, pk="key", if_not_exists=True)
    db.table("processed_events").create_index(["seen_at"], if_not_exists=True)


def claim_event(store: Store, key: str, now: datetime) -> bool:
    """Record a delivery key; True the first time it is seen, False for a duplicate."""
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO processed_events (key, seen_at) VALUES (?, ?)", [key, now.isoformat()]
        )
        return cursor.rowcount == 1


def forget_events_before(store: Store, cutoff: datetime) -> int:
    with store.transaction() as db:
        return db.execute("DELETE FROM processed_events WHERE seen_at < ?", [cutoff.isoformat()]).rowcount
