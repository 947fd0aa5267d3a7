"""The outbox: what a dialogue step must post to its thread, written in the step's own transaction.

A step (answer, button, timeout) records its next question, status notes, summary and export here in
the same transaction as the new state; a worker posts them and marks them sent with Slack's `ts`.
Entries of one dialogue go out in order: only the oldest unsent entry of a dialogue can be claimed, so
two workers (two processes on one file) never post one thread out of order or post an entry twice while
the claim holds (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so a worker
passes over the entries another worker is claiming right now). A claim not marked sent within LEASE (a
crash mid-post) is taken over; the new worker first looks for the message by its metadata key before
posting it again.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.deck import Deck
from bot.core.dialogue import Asked, Finished, Output, Paused, Resumed, Skipped, TimedOut
from bot.store.contracts import StoreBackend
from bot.store.migrations import AUTO_ID, POSTGRES, SQLITE, Handle, for_update, migration_sql

LEASE = timedelta(seconds=5)
QUESTION = "question"
PAUSED = "paused"
STATUS = "status"
SUMMARY = "summary"
EXPORT = "export"


def _schema(auto_id: str) -> list[str]:
    return [
        f"""
        CREATE TABLE IF NOT EXISTS outbox (
            id {auto_id},
            key TEXT NOT NULL UNIQUE,
            dialogue_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            thread_ts TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            claimed_by TEXT,
            claimed_at TEXT,
            claim_until TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            sent_ts TEXT,
            sent_at TEXT,
            failed TEXT
        )
        """,
        "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (dialogue_id, id) WHERE sent_at IS NULL",
        "CREATE INDEX IF NOT EXISTS outbox_dialogue ON outbox (dialogue_id, kind)",
    ]


migration_sql("0110_outbox", sqlite=_schema(AUTO_ID[SQLITE]), postgres=_schema(AUTO_ID[POSTGRES]))


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    key: str
    dialogue_id: str
    channel: str
    thread_ts: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    sent_ts: str | None

    @property
    def taken_over(self) -> bool:
        """Claimed before without being marked sent: it may have been posted already (look first)."""
        return self.attempts > 1


_COLUMNS = "id, key, dialogue_id, channel, thread_ts, kind, payload, attempts, sent_ts"


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    return OutboxEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), int(row[7]), row[8])


def encode(output: Output) -> tuple[str, dict[str, Any]] | None:
    """The outbox kind and payload for an output the thread must see; None for outputs it need not see."""
    if isinstance(output, Asked):
        payload = {"question": output.question.id, "number": output.number, "total": output.total}
        return QUESTION, payload | {"new_group": output.new_group}
    if isinstance(output, Paused):
        return PAUSED, {"author": output.author}
    if isinstance(output, Skipped):
        return STATUS, {
            "type": "skipped",
            "question": output.question_id,
            "author": output.author,
            "at": _iso(output.at),
        }
    if isinstance(output, Resumed):
        return STATUS, {"type": "resumed", "author": output.author}
    if isinstance(output, Finished):
        return STATUS, {"type": "finished", "author": output.author, "complete": output.complete}
    if isinstance(output, TimedOut):
        return STATUS, {"type": "timed_out", "idle_days": output.idle_days}
    return None


def decode(entry: OutboxEntry, deck: Deck) -> Output | None:
    """The output an entry of kind question, paused or status stands for (None for summary and export)."""
    data = entry.payload
    if entry.kind == QUESTION:
        return Asked(deck.item(data["question"]), int(data["number"]), int(data["total"]), bool(data["new_group"]))
    if entry.kind == PAUSED:
        return Paused(str(data["author"]))
    if entry.kind != STATUS:
        return None
    kind = data["type"]
    if kind == "skipped":
        return Skipped(str(data["question"]), str(data["author"]), datetime.fromisoformat(data["at"]))
    if kind == "resumed":
        return Resumed(str(data["author"]))
    if kind == "finished":
        return Finished(str(data["author"]), bool(data["complete"]))
    return TimedOut(int(data["idle_days"]))


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def enqueue(
    db: Handle, dialogue_id: str, channel: str, thread_ts: str, kind: str, payload: dict[str, Any], now: datetime
) -> str:
    """Inside an open transaction: add an entry; return its key (also sent as message metadata)."""
    key = f"{dialogue_id}.{secrets.token_hex(6)}"
    db.execute(
        "INSERT INTO outbox (key, dialogue_id, channel, thread_ts, kind, payload, created_at) VALUES (?,?,?,?,?,?,?)",
        [key, dialogue_id, channel, thread_ts, kind, json.dumps(payload, ensure_ascii=False), _iso(now)],
    )
    return key


def ts_order(ts: str) -> tuple[int, int]:
    seconds, _, fraction = ts.partition(".")
    try:
        return int(seconds), int((fraction + "000000")[:6])
    except ValueError:
        return (0, 0)


def open_question_at(db: Handle, dialogue_id: str, written_ts: str) -> str | None:
    """Inside a transaction: the question a person saw when they wrote the message with `written_ts`: the
    latest question posted before it, or None when no question was posted before it.

    A question being posted right now (claimed, not yet marked sent, for instance because the process
    that posted it crashed) counts from the moment it was first claimed: Slack's ts is the time a message
    was written, so a reply written after that claim most likely answers it."""
    rows = db.execute(
        "SELECT payload, sent_ts, claimed_at FROM outbox WHERE dialogue_id = ? AND kind = ? "
        "AND (sent_ts IS NOT NULL OR claimed_at IS NOT NULL)",
        [dialogue_id, QUESTION],
    ).fetchall()
    written = ts_order(written_ts)
    candidates = []
    for payload, sent_ts, claimed_at in rows:
        visible = ts_order(sent_ts) if sent_ts else _epoch_order(claimed_at)
        if visible < written:
            candidates.append((visible, payload))
    if not candidates:
        return None
    return str(json.loads(max(candidates)[1])["question"])


def _epoch_order(moment: str) -> tuple[int, int]:
    micros = round(datetime.fromisoformat(moment).timestamp() * 1_000_000)
    return micros // 1_000_000, micros % 1_000_000


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed entry: posted (`ts`), given up (`failed`), or to be tried again (`retry_at`)."""

    entry_id: int
    at: datetime
    ts: str | None = None
    failed: str | None = None
    retry_at: datetime | None = None

    @classmethod
    def sent(cls, entry_id: int, ts: str, now: datetime) -> Outcome:
        return cls(entry_id, now, ts=ts)

    @classmethod
    def given_up(cls, entry_id: int, code: str, now: datetime) -> Outcome:
        return cls(entry_id, now, failed=code)

    @classmethod
    def retry(cls, entry_id: int, at: datetime) -> Outcome:
        return cls(entry_id, at, retry_at=at)


def _settle(db: Handle, outcomes: Sequence[Outcome]) -> None:
    """Inside an open transaction: write each outcome (a sent or given-up entry is never claimed again)."""
    for outcome in outcomes:
        if outcome.retry_at is not None:
            db.execute("UPDATE outbox SET claim_until = ? WHERE id = ?", [_iso(outcome.retry_at), outcome.entry_id])
        elif outcome.failed is not None:
            db.execute(
                "UPDATE outbox SET failed = ?, sent_at = ?, claim_until = NULL WHERE id = ?",
                [outcome.failed, _iso(outcome.at), outcome.entry_id],
            )
        else:
            db.execute(
                "UPDATE outbox SET sent_ts = ?, sent_at = ?, claim_until = NULL WHERE id = ?",
                [outcome.ts, _iso(outcome.at), outcome.entry_id],
            )


class OutboxStore:
    """Claiming, marking and inspecting outbox entries; every method is one short transaction."""

    def __init__(self, store: StoreBackend) -> None:
        self.store = store

    def claim(self, worker: str, now: datetime, limit: int = 20, settle: Sequence[Outcome] = ()) -> list[OutboxEntry]:
        """The oldest unsent entry of up to `limit` dialogues, claimed for `worker` until now + LEASE.

        `settle`: outcomes of earlier claims, written first in the same transaction, so a worker that posts
        continuously needs one transaction per round instead of one per message, and the entry after a
        settled one can be claimed in that same round."""
        with self.store.transaction() as db:
            _settle(db, settle)
            if limit <= 0:
                return []
            rows = db.execute(
                f"SELECT {_COLUMNS}, claim_until FROM outbox WHERE sent_at IS NULL AND id IN ("
                "SELECT MIN(id) FROM outbox WHERE sent_at IS NULL GROUP BY dialogue_id) "
                # Entries in flight do not take up the limit (ISO text compares in time order; checked again below).
                "AND (claim_until IS NULL OR claim_until <= ?) ORDER BY id LIMIT ?" + for_update(db, skip_locked=True),
                [_iso(now), limit],
            ).fetchall()
            claimed: list[OutboxEntry] = []
            for row in rows:
                claim_until = row[-1]
                if claim_until is not None and datetime.fromisoformat(claim_until) > now:
                    continue
                db.execute(
                    "UPDATE outbox SET claimed_by = ?, claimed_at = COALESCE(claimed_at, ?), claim_until = ?, "
                    "attempts = attempts + 1 WHERE id = ?",
                    [worker, _iso(now), _iso(now + LEASE), row[0]],
                )
                claimed.append(_entry((*row[:7], int(row[7]) + 1, row[8])))
            return claimed

    def settle(self, outcomes: Sequence[Outcome]) -> None:
        """Write the outcomes of claimed entries (sent, given up, to retry) in one transaction."""
        if outcomes:
            with self.store.transaction() as db:
                _settle(db, outcomes)

    def mark_sent(self, entry_id: int, ts: str, now: datetime) -> None:
        self.settle([Outcome.sent(entry_id, ts, now)])

    def give_up(self, entry_id: int, code: str, now: datetime) -> None:
        """The thread cannot be reached (channel gone, not a member): stop trying, keep the reason."""
        self.settle([Outcome.given_up(entry_id, code, now)])

    def retry_later(self, entry_id: int, at: datetime) -> None:
        self.settle([Outcome.retry(entry_id, at)])

    def forget_sent_before(self, cutoff: datetime) -> int:
        """Delete entries handled before `cutoff`: notes (they name who acted) at once, questions once their
        dialogue is closed (open dialogues need them to place late answers). Return how many."""
        with self.store.transaction() as db:
            return int(
                db.execute(
                    "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? AND (kind != ? OR dialogue_id IN "
                    "(SELECT id FROM dialogues WHERE closed_at IS NOT NULL))",
                    [_iso(cutoff), QUESTION],
                ).rowcount
            )

    def pending(self) -> int:
        with self.store.read() as db:
            return int(db.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])

    def entries(self, dialogue_id: str) -> list[OutboxEntry]:
        with self.store.read() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE dialogue_id = ? ORDER BY id", [dialogue_id])
            return [_entry(row) for row in rows.fetchall()]
