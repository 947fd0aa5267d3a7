"""Vragenkaart dialogues and their answers, keyed by (team, channel, thread_ts).

Every step is a load-modify-save inside one `store.transaction()` (SQLite: BEGIN IMMEDIATE;
PostgreSQL: SELECT … FOR UPDATE on the dialogue row): the state row and the answer it records are
written together, and two quick replies, even from two processes, are applied one after the other, so
they can never both take the same question.

Purges are real: they UPDATE the text out of live answer rows or DELETE them. What the database keeps
beyond the live rows is cleared by the backend's `erase_traces()` after every purge: SQLite runs with
`secure_delete` on and truncates the WAL; PostgreSQL runs VACUUM on the two tables so the dead row
versions go (see bot.store.postgres for what WAL and backups mean there).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.core.dialogue import (
    AnswerRecord,
    DialogueKind,
    DialogueState,
    Output,
    Recorded,
    Skipped,
    Status,
)
from bot.store import outbox
from bot.store.contracts import StoreBackend
from bot.store.events import claim_in
from bot.store.migrations import AUTO_ID, POSTGRES, SQLITE, Handle, for_update, migration_sql

REMOVED = "[verwijderd]"
OPEN_STATUSES = (Status.ACTIVE.value, Status.PAUSED.value)
# A change gets the state and the question that was open when the message was written (None if unknown).
Change = Callable[[DialogueState, str | None], tuple[DialogueState, list[Output]]]


def _dialogues_schema(auto_id: str) -> list[str]:
    return [
        """
        CREATE TABLE IF NOT EXISTS dialogues (
            id TEXT PRIMARY KEY,
            team TEXT NOT NULL,
            channel TEXT NOT NULL,
            thread_ts TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            started_by TEXT NOT NULL,
            voor INTEGER NOT NULL DEFAULT 0,
            questions TEXT NOT NULL,
            position INTEGER NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            last_activity TEXT NOT NULL,
            closed_at TEXT,
            purged_at TEXT,
            link TEXT NOT NULL DEFAULT '',
            UNIQUE (team, channel, thread_ts)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dialogues_status ON dialogues (status, last_activity)",
        f"""
        CREATE TABLE IF NOT EXISTS answers (
            id {auto_id},
            dialogue_id TEXT NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            skipped INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS answers_dialogue ON answers (dialogue_id, id)",
        "CREATE INDEX IF NOT EXISTS answers_author ON answers (author)",
    ]


migration_sql(
    "0100_dialogues",
    sqlite=_dialogues_schema(AUTO_ID[SQLITE]),
    postgres=_dialogues_schema(AUTO_ID[POSTGRES]),
)
# The Slack ts of the message an answer came in (empty for the terminal): answers keep written order.
migration_sql("0111_answers_written_ts", ["ALTER TABLE answers ADD COLUMN written_ts TEXT NOT NULL DEFAULT ''"])


@dataclass(frozen=True)
class ThreadKey:
    """Where a dialogue lives: the Slack thread (or the terminal's stand-in for one)."""

    team: str
    channel: str
    thread_ts: str


@dataclass(frozen=True)
class DialogueRecord:
    id: str
    key: ThreadKey
    title: str
    started_by: str
    voor: bool
    state: DialogueState
    started_at: datetime
    closed_at: datetime | None
    link: str


@dataclass(frozen=True)
class Transition:
    """What one `update` did, decided inside its transaction: the record before and after, the outputs.

    `duplicate` is True when the delivery key was already recorded: nothing was changed now."""

    old: DialogueRecord
    new: DialogueRecord
    outputs: list[Output]
    duplicate: bool = False

    @property
    def closed_now(self) -> bool:
        return self.new.state.status.closed and not self.old.state.status.closed


class DialogueExistsError(Exception):
    """A dialogue is already running in this thread."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _record(row: sqlite3.Row | tuple[Any, ...], columns: list[str]) -> DialogueRecord:
    data = dict(zip(columns, row, strict=True))
    state = DialogueState(
        kind=DialogueKind(data["kind"]),
        questions=tuple(json.loads(data["questions"])),
        position=int(data["position"]),
        status=Status(data["status"]),
        last_activity=datetime.fromisoformat(data["last_activity"]),
    )
    return DialogueRecord(
        id=data["id"],
        key=ThreadKey(data["team"], data["channel"], data["thread_ts"]),
        title=data["title"],
        started_by=data["started_by"],
        voor=bool(data["voor"]),
        state=state,
        started_at=datetime.fromisoformat(data["started_at"]),
        closed_at=datetime.fromisoformat(data["closed_at"]) if data["closed_at"] else None,
        link=data["link"],
    )


def _saved(old: DialogueRecord, state: DialogueState, closed_at: str | None) -> DialogueRecord:
    """The record as `_save` left it in the table (times as they read back), without reading it again."""
    # The UPDATE writes position, status and last_activity; kind and questions stay what was stored.
    saved = replace(
        state,
        kind=old.state.kind,
        questions=old.state.questions,
        last_activity=datetime.fromisoformat(_iso(state.last_activity)),
    )
    closed = old.closed_at or (datetime.fromisoformat(closed_at) if closed_at else None)
    return replace(old, state=saved, closed_at=closed)


class DialogueStore:
    """The dialogue tables behind a small interface; every method is one short transaction."""

    def __init__(self, store: StoreBackend) -> None:
        self.store = store

    def _select(self, db: Handle, where: str, params: list[Any]) -> list[DialogueRecord]:
        cursor = db.execute(f"SELECT * FROM dialogues WHERE {where}", params)
        columns = [d[0] for d in cursor.description]
        return [_record(row, columns) for row in cursor.fetchall()]

    def create(
        self,
        key: ThreadKey,
        title: str,
        started_by: str,
        state: DialogueState,
        voor: bool = False,
        link: str = "",
        post: list[Output] | None = None,
    ) -> DialogueRecord:
        """Store a new dialogue; `post` outputs (the first question) go to the outbox in the same transaction."""
        with self.store.transaction() as db:
            while True:
                where = "team = ? AND channel = ? AND thread_ts = ?"
                if self._select(db, where, [key.team, key.channel, key.thread_ts]):
                    raise DialogueExistsError(key.thread_ts)
                dialogue_id = f"{state.kind.value[0]}{secrets.token_hex(3)}"
                # DO NOTHING on either unique key (id, thread); the loop then tells which one it was.
                inserted = db.execute(
                    "INSERT INTO dialogues (id, team, channel, thread_ts, kind, title, started_by, voor, questions, "
                    "position, status, started_at, last_activity, link) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT DO NOTHING",
                    [
                        dialogue_id,
                        key.team,
                        key.channel,
                        key.thread_ts,
                        state.kind.value,
                        title,
                        started_by,
                        int(voor),
                        json.dumps(list(state.questions)),
                        state.position,
                        state.status.value,
                        _iso(state.last_activity),
                        _iso(state.last_activity),
                        link,
                    ],
                ).rowcount
                if inserted == 1:
                    break
            record = self._select(db, "id = ?", [dialogue_id])[0]
            if post is not None:
                self._enqueue(db, record, post, closed_now=False, now=state.last_activity)
            return record

    def get(self, dialogue_id: str) -> DialogueRecord | None:
        with self.store.read() as db:
            found = self._select(db, "id = ?", [dialogue_id])
        return found[0] if found else None

    def find(self, key: ThreadKey) -> DialogueRecord | None:
        with self.store.read() as db:
            found = self._select(
                db, "team = ? AND channel = ? AND thread_ts = ?", [key.team, key.channel, key.thread_ts]
            )
        return found[0] if found else None

    def update(
        self,
        dialogue_id: str,
        change: Change,
        now: datetime | None = None,
        *,
        delivery: str | None = None,
        written_ts: str = "",
        post: bool = False,
    ) -> Transition | None:
        """Load, apply `change` and save state, recorded answers, the delivery key and (with `post`) the
        outbox entries in ONE transaction; None if the dialogue is unknown.

        The old state is read inside the transaction, so whether this change closed the dialogue is
        decided once, whatever number of processes share the file. `written_ts` is the Slack ts of the
        message that caused the change: `change` gets the question that was open when it was written.
        `now` is when a dialogue closed by this change counts as closed (for retention); without it the
        state's last activity is used."""
        moment = now or datetime.now(UTC)
        with self.store.transaction() as db:
            # The row lock (PostgreSQL) makes a second change of this dialogue wait and then see this one.
            found = self._select(db, "id = ?" + for_update(db), [dialogue_id])
            if not found:
                return None
            old = found[0]
            if delivery is not None and not claim_in(db, delivery, moment):
                return Transition(old, old, [], duplicate=True)
            open_question = outbox.open_question_at(db, dialogue_id, written_ts) if written_ts else None
            new_state, outputs = change(old.state, open_question)
            closed_at = self._save(db, dialogue_id, old.state, new_state, outputs, now, written_ts)
            new = _saved(old, new_state, closed_at)
            transition = Transition(old, new, outputs)
            if post:
                self._enqueue(db, new, outputs, closed_now=transition.closed_now, now=moment)
            return transition

    def _enqueue(
        self, db: Handle, record: DialogueRecord, outputs: list[Output], closed_now: bool, now: datetime
    ) -> None:
        key = record.key
        for output in outputs:
            encoded = outbox.encode(output)
            if encoded is not None:
                outbox.enqueue(db, record.id, key.channel, key.thread_ts, encoded[0], encoded[1], now)
        if closed_now:
            outbox.enqueue(db, record.id, key.channel, key.thread_ts, outbox.SUMMARY, {}, now)
            outbox.enqueue(db, record.id, key.channel, key.thread_ts, outbox.EXPORT, {}, now)

    def _save(
        self,
        db: Handle,
        dialogue_id: str,
        old: DialogueState,
        new: DialogueState,
        outputs: list[Output],
        now: datetime | None,
        written_ts: str = "",
    ) -> str | None:
        """Write the answers and the new state; return the closed_at written if this change closed it."""
        for output in outputs:
            if isinstance(output, Recorded | Skipped):
                text = output.text if isinstance(output, Recorded) else ""
                db.execute(
                    "INSERT INTO answers (dialogue_id, question_id, author, text, skipped, created_at, written_ts) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [
                        dialogue_id,
                        output.question_id,
                        output.author,
                        text,
                        int(isinstance(output, Skipped)),
                        _iso(output.at),
                        written_ts,
                    ],
                )
        closed_now = new.status.closed and not old.status.closed
        closed_at = _iso(now or new.last_activity) if closed_now else None
        db.execute(
            "UPDATE dialogues SET position = ?, status = ?, last_activity = ?, "
            "closed_at = COALESCE(closed_at, ?) WHERE id = ?",
            [new.position, new.status.value, _iso(new.last_activity), closed_at, dialogue_id],
        )
        return closed_at

    def set_link(self, dialogue_id: str, link: str) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE dialogues SET link = ? WHERE id = ?", [link, dialogue_id])

    def answers(self, dialogue_id: str) -> list[AnswerRecord]:
        """The answers in the order they were written (Slack ts), or stored (the terminal has no ts)."""
        with self.store.read() as db:
            rows = db.execute(
                "SELECT question_id, author, text, skipped, created_at, written_ts FROM answers "
                "WHERE dialogue_id = ? ORDER BY id",
                [dialogue_id],
            ).fetchall()
        if rows and all(row[5] for row in rows):
            rows.sort(key=lambda row: outbox.ts_order(row[5]))
        return [AnswerRecord(q, a, t, bool(s), datetime.fromisoformat(c)) for q, a, t, s, c, _ in rows]

    def open_for(self, user: str, team: str | None = None) -> list[DialogueRecord]:
        """Open dialogues the user started or answered in, newest activity first."""
        where = "status IN (?, ?) AND (started_by = ? OR id IN (SELECT dialogue_id FROM answers WHERE author = ?))"
        params: list[Any] = [*OPEN_STATUSES, user, user]
        if team is not None:
            where += " AND team = ?"
            params.append(team)
        with self.store.read() as db:
            return self._select(db, where + " ORDER BY last_activity DESC", params)

    def timed_out_for(self, user: str, team: str | None, since: datetime) -> list[DialogueRecord]:
        """Dialogues of the user (started or answered) that the timeout closed since `since`, not purged."""
        where = (
            "status = ? AND closed_at >= ? AND purged_at IS NULL "
            "AND (started_by = ? OR id IN (SELECT dialogue_id FROM answers WHERE author = ?))"
        )
        params: list[Any] = [Status.TIMED_OUT.value, _iso(since), user, user]
        if team is not None:
            where += " AND team = ?"
            params.append(team)
        with self.store.read() as db:
            return self._select(db, where + " ORDER BY closed_at DESC", params)

    def idle_since(self, cutoff: datetime) -> list[str]:
        """Ids of open dialogues without activity since `cutoff` (candidates for the timeout)."""
        with self.store.read() as db:
            rows = db.execute(
                "SELECT id FROM dialogues WHERE status IN (?, ?) AND last_activity < ? ORDER BY last_activity",
                [*OPEN_STATUSES, _iso(cutoff)],
            ).fetchall()
        return [row[0] for row in rows]

    def purge_user(self, user: str) -> int:
        """Replace every answer of `user` by REMOVED (author too), and the title of every dialogue
        they started (the title is their text too); return how many answers changed."""
        with self.store.transaction() as db:
            changed = int(
                db.execute(
                    "UPDATE answers SET text = ?, author = ? WHERE author = ?", [REMOVED, REMOVED, user]
                ).rowcount
            )
            db.execute(
                "UPDATE dialogues SET title = ?, started_by = ? WHERE started_by = ?",
                [REMOVED, REMOVED, user],
            )
        self.store.erase_traces()
        return changed

    def purge_closed_before(self, cutoff: datetime, now: datetime) -> int:
        """Delete the answers (and blank the title) of dialogues closed before `cutoff`; return how many."""
        with self.store.transaction() as db:
            where = "closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL"
            ids = [row[0] for row in db.execute(f"SELECT id FROM dialogues WHERE {where}", [_iso(cutoff)])]
            for dialogue_id in ids:
                db.execute("DELETE FROM answers WHERE dialogue_id = ?", [dialogue_id])
                db.execute(
                    "UPDATE dialogues SET title = ?, started_by = ?, purged_at = ? WHERE id = ?",
                    [REMOVED, REMOVED, _iso(now), dialogue_id],
                )
        self.store.erase_traces()
        return len(ids)
