"""Channel schedules for weekly lessons and the delivery log that makes each week's post happen once.

The functions take any backend (bot.store.contracts.StoreBackend) and run SQL both SQLite and PostgreSQL
accept. A delivery is claimed (INSERT … ON CONFLICT DO NOTHING on UNIQUE(channel, week)) in a transaction
*before* posting and marked sent with Slack's ts after. Two instances or a restart can never both claim a
week. A claim that was never marked sent (a crash between claim and send) is retried after CLAIM_TIMEOUT,
by whoever takes it over first (on PostgreSQL the stale rows are locked FOR UPDATE SKIP LOCKED, so two
instances never take over the same claim), after checking whether the post went out after all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from bot.core.schedule import ChannelSchedule, WeekKey
from bot.store.contracts import StoreBackend
from bot.store.migrations import for_update, migration_sql

CLAIM_TIMEOUT = timedelta(minutes=10)


migration_sql(
    "0200_schedules",
    [
        """CREATE TABLE IF NOT EXISTS channel_schedules (
            channel TEXT PRIMARY KEY,
            team TEXT NOT NULL,
            weekday INTEGER NOT NULL,
            at TEXT NOT NULL,
            audience TEXT NOT NULL,
            tz TEXT NOT NULL,
            configured_by TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            disabled_reason TEXT,
            enabled_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS lesson_deliveries (
            channel TEXT NOT NULL,
            week TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            round INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('claimed', 'sent')),
            claim_token TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            sent_at TEXT,
            ts TEXT,
            PRIMARY KEY (channel, week)
        )""",
    ],
)


@dataclass(frozen=True)
class ScheduleRecord:
    schedule: ChannelSchedule
    configured_by: str
    enabled: bool
    disabled_reason: str | None
    enabled_at: datetime


@dataclass(frozen=True)
class Claim:
    channel: str
    week: WeekKey
    lesson_id: str
    round: int
    token: str
    retried: bool


def _record(row: dict[str, object]) -> ScheduleRecord:
    hour, minute = str(row["at"]).split(":")
    schedule = ChannelSchedule(
        team=str(row["team"]),
        channel=str(row["channel"]),
        weekday=int(str(row["weekday"])),
        at=time(int(hour), int(minute)),
        audience=str(row["audience"]),
        tz=str(row["tz"]),
    )
    return ScheduleRecord(
        schedule=schedule,
        configured_by=str(row["configured_by"]),
        enabled=bool(row["enabled"]),
        disabled_reason=str(row["disabled_reason"]) if row["disabled_reason"] else None,
        enabled_at=datetime.fromisoformat(str(row["enabled_at"])),
    )


def save_schedule(store: StoreBackend, schedule: ChannelSchedule, configured_by: str, now: datetime) -> None:
    with store.transaction() as db:
        db.execute(
            """INSERT INTO channel_schedules
               (channel, team, weekday, at, audience, tz, configured_by, enabled, disabled_reason,
                enabled_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?)
               ON CONFLICT (channel) DO UPDATE SET team = excluded.team, weekday = excluded.weekday,
                 at = excluded.at, audience = excluded.audience, tz = excluded.tz,
                 configured_by = excluded.configured_by, enabled = 1, disabled_reason = NULL,
                 enabled_at = CASE WHEN channel_schedules.enabled = 1 THEN channel_schedules.enabled_at
                                   ELSE excluded.enabled_at END,
                 updated_at = excluded.updated_at""",
            [
                schedule.channel,
                schedule.team,
                schedule.weekday,
                f"{schedule.at:%H:%M}",
                schedule.audience,
                schedule.tz,
                configured_by,
                now.isoformat(),
                now.isoformat(),
            ],
        )


def disable(store: StoreBackend, channel: str, reason: str, now: datetime) -> bool:
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE channel_schedules SET enabled = 0, disabled_reason = ?, updated_at = ?"
            " WHERE channel = ? AND enabled = 1",
            [reason, now.isoformat(), channel],
        )
        return bool(cursor.rowcount == 1)


def _rows(store: StoreBackend, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """All rows of a read, fetched under the store's lock (never a half-read cursor beside a transaction)."""
    with store.read() as db:
        return list(db.query(sql, params or []))


def get_schedule(store: StoreBackend, channel: str) -> ScheduleRecord | None:
    rows = _rows(store, "SELECT * FROM channel_schedules WHERE channel = ?", [channel])
    return _record(rows[0]) if rows else None


def enabled_schedules(store: StoreBackend) -> list[ScheduleRecord]:
    return [_record(row) for row in _rows(store, "SELECT * FROM channel_schedules WHERE enabled = 1 ORDER BY channel")]


def schedules_for_team(store: StoreBackend, team: str) -> list[ScheduleRecord]:
    rows = _rows(store, "SELECT * FROM channel_schedules WHERE team = ? ORDER BY channel", [team])
    return [_record(row) for row in rows]


def history(store: StoreBackend, channel: str) -> list[tuple[int, str]]:
    """(round, lesson id) of every claimed or sent delivery, oldest first."""
    rows = _rows(
        store, "SELECT round, lesson_id FROM lesson_deliveries WHERE channel = ? ORDER BY claimed_at, week", [channel]
    )
    return [(int(row["round"]), str(row["lesson_id"])) for row in rows]


def weeks_delivered(store: StoreBackend, channel: str) -> set[WeekKey]:
    """Weeks that are sent or claimed: either way nobody else may start them."""
    rows = _rows(store, "SELECT week FROM lesson_deliveries WHERE channel = ?", [channel])
    return {str(row["week"]) for row in rows}


def sent_lessons(store: StoreBackend, channel: str) -> list[tuple[str, str]]:
    rows = _rows(
        store,
        "SELECT week, lesson_id FROM lesson_deliveries WHERE channel = ? AND status = 'sent' ORDER BY week",
        [channel],
    )
    return [(str(row["week"]), str(row["lesson_id"])) for row in rows]


def claim(
    store: StoreBackend, channel: str, week: WeekKey, lesson_id: str, round_number: int, now: datetime
) -> Claim | None:
    """Claim a week for a channel before posting; None if it is already claimed or sent."""
    token = uuid.uuid4().hex
    with store.transaction() as db:
        cursor = db.execute(
            """INSERT INTO lesson_deliveries
               (channel, week, lesson_id, round, status, claim_token, claimed_at)
               VALUES (?, ?, ?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING""",
            [channel, week, lesson_id, round_number, token, now.isoformat()],
        )
        if cursor.rowcount != 1:
            return None
    return Claim(channel, week, lesson_id, round_number, token, retried=False)


def take_over_stale_claims(store: StoreBackend, now: datetime) -> list[Claim]:
    """Claims left unsent for longer than CLAIM_TIMEOUT (a crash between claim and send), taken over."""
    cutoff = (now - CLAIM_TIMEOUT).isoformat()
    taken: list[Claim] = []
    with store.transaction() as db:
        rows = list(
            db.execute(
                "SELECT channel, week, lesson_id, round FROM lesson_deliveries"
                " WHERE status = 'claimed' AND claimed_at < ?" + for_update(db, skip_locked=True),
                [cutoff],
            ).fetchall()
        )
        for channel, week, lesson_id, round_number in rows:
            token = uuid.uuid4().hex
            db.execute(
                "UPDATE lesson_deliveries SET claim_token = ?, claimed_at = ? WHERE channel = ? AND week = ?",
                [token, now.isoformat(), channel, week],
            )
            taken.append(Claim(str(channel), str(week), str(lesson_id), int(round_number), token, retried=True))
    return taken


def mark_sent(store: StoreBackend, claim_: Claim, ts: str, now: datetime) -> bool:
    """Record Slack's ts; False if the claim was taken over by someone else in the meantime."""
    with store.transaction() as db:
        cursor = db.execute(
            """UPDATE lesson_deliveries SET status = 'sent', ts = ?, sent_at = ?
               WHERE channel = ? AND week = ? AND claim_token = ? AND status = 'claimed'""",
            [ts, now.isoformat(), claim_.channel, claim_.week, claim_.token],
        )
        return bool(cursor.rowcount == 1)


def release(store: StoreBackend, claim_: Claim) -> None:
    """Give a claim back when the post certainly did not go out (so a later pass tries again)."""
    with store.transaction() as db:
        db.execute(
            "DELETE FROM lesson_deliveries WHERE channel = ? AND week = ? AND claim_token = ? AND status = 'claimed'",
            [claim_.channel, claim_.week, claim_.token],
        )
