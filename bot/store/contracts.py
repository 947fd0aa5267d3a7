"""The storage interface services and adapters rely on, as Protocols: dialogues, processed deliveries,
the outbox, and the store that hands them out with transactions.

SQLite (bot.store.db) is the default backend; PostgreSQL (bot.store.postgres) is the other. Each implements
these Protocols and passes the contract tests in tests/store/test_contract.py; services and adapters only
ever call the methods named here, so it slots in without touching them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.dialogue import AnswerRecord, DialogueState, Output

if TYPE_CHECKING:
    from bot.store.dialogues import Change, DialogueRecord, ThreadKey, Transition
    from bot.store.outbox import OutboxEntry, Outcome


class StoreUnavailableError(Exception):
    """The database cannot be opened (a server that is down, a wrong URL); the message is Dutch."""


class Dialogues(Protocol):
    def create(
        self,
        key: ThreadKey,
        title: str,
        started_by: str,
        state: DialogueState,
        voor: bool = False,
        link: str = "",
        post: list[Output] | None = None,
    ) -> DialogueRecord: ...

    def get(self, dialogue_id: str) -> DialogueRecord | None: ...

    def find(self, key: ThreadKey) -> DialogueRecord | None: ...

    def update(
        self,
        dialogue_id: str,
        change: Change,
        now: datetime | None = None,
        *,
        delivery: str | None = None,
        written_ts: str = "",
        post: bool = False,
    ) -> Transition | None: ...

    def set_link(self, dialogue_id: str, link: str) -> None: ...

    def answers(self, dialogue_id: str) -> list[AnswerRecord]: ...

    def open_for(self, user: str, team: str | None = None) -> list[DialogueRecord]: ...

    def timed_out_for(self, user: str, team: str | None, since: datetime) -> list[DialogueRecord]: ...

    def idle_since(self, cutoff: datetime) -> list[str]: ...

    def purge_user(self, user: str) -> int: ...

    def purge_closed_before(self, cutoff: datetime, now: datetime) -> int: ...


class Deliveries(Protocol):
    def claim(self, key: str, now: datetime) -> bool: ...

    def seen(self, key: str) -> bool: ...

    def forget_before(self, cutoff: datetime) -> int: ...


class Outbox(Protocol):
    def claim(
        self, worker: str, now: datetime, limit: int = 20, settle: Sequence[Outcome] = ()
    ) -> list[OutboxEntry]: ...

    def settle(self, outcomes: Sequence[Outcome]) -> None: ...

    def mark_sent(self, entry_id: int, ts: str, now: datetime) -> None: ...

    def give_up(self, entry_id: int, code: str, now: datetime) -> None: ...

    def retry_later(self, entry_id: int, at: datetime) -> None: ...

    def forget_sent_before(self, cutoff: datetime) -> int: ...

    def pending(self) -> int: ...

    def entries(self, dialogue_id: str) -> list[OutboxEntry]: ...


class StoreBackend(Protocol):
    """One database: short transactions, and the repositories on top of it."""

    def transaction(self) -> AbstractContextManager[Any]: ...

    def read(self) -> AbstractContextManager[Any]: ...

    def dialogues(self) -> Dialogues: ...

    def deliveries(self) -> Deliveries: ...

    def outbox(self) -> Outbox: ...

    def erase_traces(self) -> None:
        """After a purge: clear what the database keeps of removed text beyond the live rows."""
        ...

    def close(self) -> None: ...


__all__ = ["Deliveries", "Dialogues", "Outbox", "StoreBackend", "StoreUnavailableError"]
