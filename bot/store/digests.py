"""The monthly digest: which channels opted in, the delivery log that makes each month's post happen
once, and the month counts kept for the chart.

Same design as the weekly lessons (bot/store/schedules.py): a delivery is claimed (INSERT with
UNIQUE(channel, month)) in a transaction *before* posting and marked sent with Slack's ts after; a claim
never marked sent (crash between claim and send) is taken over after CLAIM_TIMEOUT by whoever comes
first, and reconciled against Slack before posting again.

Month counts (`digest_months`) hold only merged, anonymous numbers per signal group; they are kept
because the answers behind them are purged after the retention period, while the chart looks back
six months. Read-only helpers at the end select the month's casus dialogues and posted lessons from
the dialogue and lesson tables.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core.digest import MonthCounts
from bot.store.contracts import StoreBackend
from bot.store.migrations import for_update, migration_sql

CLAIM_TIMEOUT = timedelta(minutes=10)


migration_sql(
    "0300_digests",
    [
        """CREATE TABLE IF NOT EXISTS digest_channels (
            channel TEXT PRIMARY KEY,
            team TEXT NOT NULL,
            configured_by TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            disabled_reason TEXT,
            enabled_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS digest_deliveries (
            channel TEXT NOT NULL,
            month TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('claimed', 'sent')),
            claim_token TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            sent_at TEXT,
            ts TEXT,
            PRIMARY KEY (channel, month)
        )""",
        """CREATE TABLE IF NOT EXISTS digest_months (
            channel TEXT NOT NULL,
            month TEXT NOT NULL,
            counts TEXT NOT NULL,
            PRIMARY KEY (channel, month)
        )""",
    ],
)


@dataclass(frozen=True)
class DigestChannel:
    channel: str
    team: str
    configured_by: str
    enabled: bool
    disabled_reason: str | None
    enabled_at: datetime


@dataclass(frozen=True)
class DigestClaim:
    channel: str
    month: str
    token: str
    retried: bool


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _channel(row: dict[str, object]) -> DigestChannel:
    return DigestChannel(
        channel=str(row["channel"]),
        team=str(row["team"]),
        configured_by=str(row["configured_by"]),
        enabled=bool(row["enabled"]),
        disabled_reason=str(row["disabled_reason"]) if row["disabled_reason"] else None,
        enabled_at=datetime.fromisoformat(str(row["enabled_at"])),
    )


def _rows(store: StoreBackend, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """All rows of a read, fetched inside the backend's read block (never a half-read cursor)."""
    with store.read() as db:
        return list(db.query(sql, params or []))


def enable(store: StoreBackend, team: str, channel: str, configured_by: str, now: datetime) -> bool:
    """Switch the digest on; False if it was on already (then nothing changes)."""
    with store.transaction() as db:
        row = db.execute("SELECT enabled FROM digest_channels WHERE channel = ?", [channel]).fetchone()
        if row is not None and row[0]:
            return False
        db.execute(
            """INSERT INTO digest_channels (channel, team, configured_by, enabled, disabled_reason, enabled_at,
                 updated_at) VALUES (?, ?, ?, 1, NULL, ?, ?)
               ON CONFLICT (channel) DO UPDATE SET team = excluded.team, configured_by = excluded.configured_by,
                 enabled = 1, disabled_reason = NULL, enabled_at = excluded.enabled_at,
                 updated_at = excluded.updated_at""",
            [channel, team, configured_by, _iso(now), _iso(now)],
        )
        return True


def disable(store: StoreBackend, channel: str, reason: str, now: datetime) -> bool:
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE digest_channels SET enabled = 0, disabled_reason = ?, updated_at = ?"
            " WHERE channel = ? AND enabled = 1",
            [reason, _iso(now), channel],
        )
        return bool(cursor.rowcount == 1)


def get_channel(store: StoreBackend, channel: str) -> DigestChannel | None:
    rows = _rows(store, "SELECT * FROM digest_channels WHERE channel = ?", [channel])
    return _channel(rows[0]) if rows else None


def enabled_channels(store: StoreBackend) -> list[DigestChannel]:
    return [_channel(row) for row in _rows(store, "SELECT * FROM digest_channels WHERE enabled = 1 ORDER BY channel")]


def months_delivered(store: StoreBackend, channel: str) -> set[str]:
    """Months that are sent or claimed: either way nobody else may start them."""
    return {
        str(row["month"]) for row in _rows(store, "SELECT month FROM digest_deliveries WHERE channel = ?", [channel])
    }


def sent_ts(store: StoreBackend, channel: str, month: str) -> str | None:
    rows = _rows(
        store, "SELECT ts FROM digest_deliveries WHERE channel = ? AND month = ? AND status = 'sent'", [channel, month]
    )
    return str(rows[0]["ts"]) if rows else None


def claim(store: StoreBackend, channel: str, month: str, now: datetime) -> DigestClaim | None:
    """Claim a month for a channel before posting; None if it is already claimed or sent."""
    token = uuid.uuid4().hex
    with store.transaction() as db:
        cursor = db.execute(
            """INSERT INTO digest_deliveries (channel, month, status, claim_token, claimed_at)
               VALUES (?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING""",
            [channel, month, token, _iso(now)],
        )
        if cursor.rowcount != 1:
            return None
    return DigestClaim(channel, month, token, retried=False)


def take_over_stale_claims(store: StoreBackend, now: datetime) -> list[DigestClaim]:
    """Claims left unsent for longer than CLAIM_TIMEOUT (a crash between claim and send), taken over."""
    cutoff = _iso(now - CLAIM_TIMEOUT)
    taken: list[DigestClaim] = []
    with store.transaction() as db:
        rows = db.execute(
            "SELECT channel, month FROM digest_deliveries WHERE status = 'claimed' AND claimed_at < ?"
            + for_update(db, skip_locked=True),
            [cutoff],
        ).fetchall()
        for channel, month in rows:
            token = uuid.uuid4().hex
            db.execute(
                "UPDATE digest_deliveries SET claim_token = ?, claimed_at = ? WHERE channel = ? AND month = ?",
                [token, _iso(now), channel, month],
            )
            taken.append(DigestClaim(str(channel), str(month), token, retried=True))
    return taken


def mark_sent(store: StoreBackend, claim_: DigestClaim, ts: str, now: datetime) -> bool:
    """Record Slack's ts; False if the claim was taken over by someone else in the meantime."""
    with store.transaction() as db:
        cursor = db.execute(
            """UPDATE digest_deliveries SET status = 'sent', ts = ?, sent_at = ?
               WHERE channel = ? AND month = ? AND claim_token = ? AND status = 'claimed'""",
            [ts, _iso(now), claim_.channel, claim_.month, claim_.token],
        )
        return bool(cursor.rowcount == 1)


def release(store: StoreBackend, claim_: DigestClaim) -> None:
    """Give a claim back when the post certainly did not go out (so a later pass tries again)."""
    with store.transaction() as db:
        db.execute(
            "DELETE FROM digest_deliveries WHERE channel = ? AND month = ? AND claim_token = ? AND status = 'claimed'",
            [claim_.channel, claim_.month, claim_.token],
        )


def save_counts(store: StoreBackend, channel: str, counts: MonthCounts) -> None:
    with store.transaction() as db:
        db.execute(
            """INSERT INTO digest_months (channel, month, counts) VALUES (?, ?, ?)
               ON CONFLICT (channel, month) DO UPDATE SET counts = excluded.counts""",
            [channel, counts.month, json.dumps(counts.to_json(), ensure_ascii=False)],
        )


def saved_counts(store: StoreBackend, channel: str, months: list[str]) -> dict[str, MonthCounts]:
    if not months:
        return {}
    marks = ", ".join("?" for _ in months)
    rows = _rows(
        store, f"SELECT month, counts FROM digest_months WHERE channel = ? AND month IN ({marks})", [channel, *months]
    )
    return {str(row["month"]): MonthCounts.from_json(json.loads(str(row["counts"]))) for row in rows}


# -- read-only views of other records -------------------------------------------------------------


def casus_ids(store: StoreBackend, channel: str, start: datetime, end: datetime) -> list[str]:
    """Casus dialogues started in this channel in [start, end), oldest first (beleid dialogues excluded)."""
    rows = _rows(
        store,
        "SELECT id FROM dialogues WHERE channel = ? AND kind = 'casus' AND started_at >= ? AND started_at < ?"
        " ORDER BY started_at, id",
        [channel, _iso(start), _iso(end)],
    )
    return [str(row["id"]) for row in rows]


def lessons_posted(store: StoreBackend, channel: str, start: datetime, end: datetime) -> list[str]:
    """Ids of the weekly lessons that went out to this channel in [start, end), in posting order."""
    rows = _rows(
        store,
        "SELECT lesson_id, sent_at FROM lesson_deliveries WHERE channel = ? AND status = 'sent' ORDER BY sent_at",
        [channel],
    )
    return [
        str(row["lesson_id"])
        for row in rows
        if row["sent_at"] and start <= datetime.fromisoformat(str(row["sent_at"])) < end
    ]
