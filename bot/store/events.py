"""Processed Slack deliveries, so a retried event or action is acted on once.

A delivery key is written in the same transaction as the effect it causes (`claim_in`), so a retry
after a crash is either a duplicate of something done or is done now, never dropped. `claim_event`
claims on its own, for deliveries whose effect is not in the database (commands, App Home).
"""

from __future__ import annotations

from datetime import datetime

from bot.store.contracts import StoreBackend
from bot.store.migrations import Handle, migration_sql

migration_sql(
    "0001_processed_events",
    [
        "CREATE TABLE IF NOT EXISTS processed_events (key TEXT PRIMARY KEY, seen_at TEXT)",
        "CREATE INDEX IF NOT EXISTS idx_processed_events_seen_at ON processed_events (seen_at)",
    ],
)


def claim_in(db: Handle, key: str, now: datetime) -> bool:
    """Inside an open transaction: record a delivery key; True the first time, False for a duplicate."""
    cursor = db.execute(
        "INSERT INTO processed_events (key, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [key, now.isoformat()]
    )
    return bool(cursor.rowcount == 1)


def claim_event(store: StoreBackend, key: str, now: datetime) -> bool:
    """Record a delivery key; True the first time it is seen, False for a duplicate."""
    with store.transaction() as db:
        return claim_in(db, key, now)


def seen(store: StoreBackend, key: str) -> bool:
    with store.read() as db:
        return db.execute("SELECT 1 FROM processed_events WHERE key = ?", [key]).fetchone() is not None


def forget_events_before(store: StoreBackend, cutoff: datetime) -> int:
    with store.transaction() as db:
        return int(db.execute("DELETE FROM processed_events WHERE seen_at < ?", [cutoff.isoformat()]).rowcount)


class DeliveryStore:
    """Processed deliveries behind the `Deliveries` interface (bot.store.contracts)."""

    def __init__(self, store: StoreBackend) -> None:
        self.store = store

    def claim(self, key: str, now: datetime) -> bool:
        return claim_event(self.store, key, now)

    def seen(self, key: str) -> bool:
        return seen(self.store, key)

    def forget_before(self, cutoff: datetime) -> int:
        return forget_events_before(self.store, cutoff)
