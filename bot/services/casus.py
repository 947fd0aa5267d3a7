"""The casus and beleid dialogues as one application service, used by the terminal, Slack and the CLI.

Every text a user types is redacted (bot.core.privacy) before it reaches the state machine, so no
personal data is ever stored; the author gets a notice naming what was replaced. Each call is one
transaction in the store (load, step, save), which also records the delivery key of the Slack request
that caused it and, for Slack (`post=True`), the outbox entries of what the thread must see. The calls
are synchronous and CPU/DB-bound: async adapters run them with `asyncio.to_thread`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.core import privacy, steering
from bot.core.dialogue import Answer as AnswerEvent
from bot.core.dialogue import (
    Back,
    DialogueKind,
    DialogueState,
    Event,
    Finish,
    Output,
    Pause,
    Recorded,
    Refused,
    Resume,
    Skip,
    Timeout,
    step,
)
from bot.core.dialogue import start as start_dialogue
from bot.core.summary import DialogueInfo, Summary, summarise, to_json, to_markdown
from bot.services.context import AppContext
from bot.store.contracts import Dialogues
from bot.store.dialogues import DialogueRecord, ThreadKey
from bot.store.outbox import ts_order

__all__ = ["ACTIONS", "Action", "CasusResult", "CasusService", "ExportFormat"]

Action = steering.Action
ACTIONS: dict[Action, Callable[[str], Event]] = {
    "overslaan": Skip,
    "vorige": Back,
    "pauzeer": Pause,
    "verder": Resume,
    "afronden": Finish,
}
ExportFormat = Literal["md", "json"]
ALREADY_MOVED_REASON = "Die vraag is intussen al verder gegaan; ik heb niets overgeslagen."


@dataclass(frozen=True)
class CasusResult:
    """What happened in one call: the dialogue after it, the machine's outputs, and the privacy notice."""

    dialogue: DialogueRecord
    outputs: tuple[Output, ...]
    redacted: tuple[str, ...] = ()
    summary: Summary | None = None
    closed: bool = False
    duplicate: bool = False

    @property
    def notice(self) -> str:
        """For the author only (ephemeral in Slack): which kinds of personal data were replaced."""
        return privacy.notice(self.redacted)

    @property
    def closed_now(self) -> bool:
        """This call closed the dialogue (decided inside its transaction: true for exactly one call)."""
        return self.closed or self.summary is not None


def _recorded(outputs: tuple[Output, ...]) -> bool:
    return any(isinstance(output, Recorded) for output in outputs)


def _ts_of(moment: datetime) -> tuple[int, int]:
    """A moment in the order of Slack message ts (seconds, microseconds)."""
    micros = round(moment.timestamp() * 1_000_000)
    return micros // 1_000_000, micros % 1_000_000


class CasusService:
    def __init__(self, context: AppContext) -> None:
        self.context = context
        self.dialogues: Dialogues = context.store.dialogues()

    def redact(self, text: str, now: datetime) -> privacy.Redaction:
        """The text with personal data replaced; adapters use it before they post a title anywhere."""
        return privacy.redact(text, now.date())

    def start(
        self,
        key: ThreadKey,
        kind: DialogueKind,
        title: str,
        author: str,
        now: datetime,
        voor: bool = False,
        link: str = "",
        post: bool = False,
    ) -> CasusResult:
        """Start a dialogue in a thread; raises DialogueExistsError if one already runs there. With `post`
        the first question goes to the outbox in the same transaction."""
        clean = self.redact(title, now)
        state, outputs = start_dialogue(kind, self.context.deck, now, voor=voor)
        record = self.dialogues.create(
            key, clean.text.strip(), author, state, voor=voor, link=link, post=outputs if post else None
        )
        return CasusResult(record, tuple(outputs), clean.kinds)

    def find(self, key: ThreadKey) -> DialogueRecord | None:
        return self.dialogues.find(key)

    def get(self, dialogue_id: str) -> DialogueRecord | None:
        return self.dialogues.get(dialogue_id)

    def reply(
        self,
        key: ThreadKey,
        author: str,
        text: str,
        now: datetime,
        *,
        delivery: str | None = None,
        written_ts: str = "",
        post: bool = False,
    ) -> CasusResult | None:
        """A reply in the dialogue's thread: a steering word (bot.core.steering) steers, anything else is
        an answer. None when no open dialogue lives in that thread (after the end, people may go on
        talking in the thread without being told, message after message, that it is closed)."""
        action = steering.steering_action(text)
        if action is None:
            return self.answer(key, author, text, now, delivery=delivery, written_ts=written_ts, post=post)
        record = self.dialogues.find(key)
        if record is None or record.state.status.closed:
            return None
        return self.act(record.id, action, author, now, delivery=delivery, written_ts=written_ts, post=post)

    def answer(
        self,
        key: ThreadKey,
        author: str,
        text: str,
        now: datetime,
        *,
        delivery: str | None = None,
        written_ts: str = "",
        post: bool = False,
    ) -> CasusResult | None:
        """A reply that is always an answer (the terminal's `> text`); None when no open dialogue is there.

        With `written_ts`, the answer is kept for the question that was open when it was written: an
        answer written to a question the dialogue has since moved past is stored for that question and
        does not move the dialogue again."""
        record = self.dialogues.find(key)
        if record is None or (record.state.status.closed and not written_ts):
            return None
        clean = self.redact(text, now)
        result = self._apply(
            record.id, AnswerEvent(author, clean.text), now, delivery=delivery, written_ts=written_ts, post=post
        )
        if result is None or (result.dialogue.state.status.closed and not _recorded(result.outputs)):
            return None  # after the end the thread is just a thread again: nobody is told so, message after message
        return CasusResult(
            result.dialogue, result.outputs, clean.kinds, result.summary, result.closed, result.duplicate
        )

    def act(
        self,
        dialogue_id: str,
        action: Action,
        author: str,
        now: datetime,
        *,
        delivery: str | None = None,
        written_ts: str = "",
        post: bool = False,
    ) -> CasusResult | None:
        """A button or steering word (overslaan, vorige, pauzeer, verder, afronden); None if unknown id."""
        return self._apply(
            dialogue_id, ACTIONS[action](author), now, delivery=delivery, written_ts=written_ts, post=post
        )

    def _apply(
        self,
        dialogue_id: str,
        event: Event,
        now: datetime,
        *,
        delivery: str | None = None,
        written_ts: str = "",
        post: bool = False,
    ) -> CasusResult | None:
        deck = self.context.deck

        def change(state: DialogueState, open_question: str | None) -> tuple[DialogueState, list[Output]]:
            late = open_question is not None and (
                open_question != state.current
                if not state.status.closed
                else ts_order(written_ts) < _ts_of(state.last_activity)  # written before it was closed
            )
            if late and isinstance(event, AnswerEvent) and event.text.strip():
                # Written while an earlier question was open: keep it there, do not move on again.
                assert open_question is not None
                return state, [Recorded(open_question, event.author, event.text.strip(), now)]
            if late and isinstance(event, Skip):
                return state, [Refused(ALREADY_MOVED_REASON)]
            return step(state, event, deck, now)

        transition = self.dialogues.update(
            dialogue_id, change, now, delivery=delivery, written_ts=written_ts, post=post
        )
        if transition is None:
            return None
        record = transition.new
        closed_now = transition.closed_now
        summary = self.summary(record.id) if closed_now and not post else None
        return CasusResult(
            record, tuple(transition.outputs), summary=summary, closed=closed_now, duplicate=transition.duplicate
        )

    def sweep_timeouts(self, now: datetime, post: bool = False) -> list[CasusResult]:
        """Close every open dialogue idle for settings.dialogue_timeout_days; safe to run twice."""
        after = timedelta(days=self.context.settings.dialogue_timeout_days)
        closed: list[CasusResult] = []
        for dialogue_id in self.dialogues.idle_since(now - after):
            result = self._apply(dialogue_id, Timeout(after), now, post=post)
            if result is not None and result.closed_now:
                closed.append(result)
        return closed

    def open_for(self, user: str, team: str | None = None) -> list[DialogueRecord]:
        return self.dialogues.open_for(user, team)

    def forget_user(self, user: str) -> int:
        return self.dialogues.purge_user(user)

    def purge_retention(self, now: datetime) -> int:
        return self.dialogues.purge_closed_before(now - timedelta(days=self.context.settings.retention_days), now)

    def summary(self, dialogue_id: str) -> Summary | None:
        record = self.dialogues.get(dialogue_id)
        if record is None:
            return None
        info = DialogueInfo(
            id=record.id,
            kind=record.state.kind,
            title=record.title,
            status=record.state.status,
            questions=record.state.questions,
            started_at=record.started_at,
            closed_at=record.closed_at,
        )
        return summarise(self.context.deck, self.context.index, info, self.dialogues.answers(record.id))

    def export(
        self, dialogue_id: str, fmt: ExportFormat = "md", author_label: Callable[[str], str] = str
    ) -> str | None:
        summary = self.summary(dialogue_id)
        if summary is None:
            return None
        if fmt == "json":
            import json

            return json.dumps(to_json(summary), ensure_ascii=False, indent=2)
        return to_markdown(summary, author_label)
