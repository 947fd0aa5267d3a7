"""The vragenkaart dialogue as a pure state machine: `step(state, event, deck, now) -> (state, outputs)`.

A casus walks the Vragenkaart uitvoerders (Tijdens, then Na; Vóór first on request), a beleid dialogue
walks the Vragenkaart maatwerk for beleidsmakers, one question at a time. The machine does no I/O: the
store persists the new state and the recorded answers in one transaction, adapters render the outputs.
Timeouts live in the database (a sweep sends `Timeout`), not in memory.

```mermaid
stateDiagram-v2
    [*] --> actief: start (vraag 1)
    actief --> actief: antwoord / overslaan (volgende vraag)
    actief --> actief: vorige (vorige vraag)
    actief --> gepauzeerd: pauzeer
    gepauzeerd --> actief: verder (dezelfde vraag)
    actief --> afgerond: afronden / laatste vraag beantwoord of overgeslagen
    gepauzeerd --> afgerond: afronden
    actief --> verlopen: timeout (geen activiteit)
    gepauzeerd --> verlopen: timeout (geen activiteit)
    afgerond --> [*]
    verlopen --> [*]
```

Events that do not fit the state (an answer while paused, `vorige` at the first question, anything
after the end) change nothing and give a `Refused` output with a Dutch reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.deck import Deck
from bot.core.models import CardId, CardItem

__all__ = [
    "Answer",
    "AnswerRecord",
    "Asked",
    "Back",
    "DialogueKind",
    "DialogueState",
    "Event",
    "Finish",
    "Finished",
    "InvalidStateError",
    "Output",
    "Pause",
    "Paused",
    "Recorded",
    "Refused",
    "Resume",
    "Resumed",
    "Skip",
    "Skipped",
    "Status",
    "TimedOut",
    "Timeout",
    "question_ids",
    "start",
    "step",
]

VOOR_SECTION = "Vóór"
CASUS_SECTIONS: tuple[str, ...] = ("Tijdens", "Na")


class DialogueKind(StrEnum):
    CASUS = "casus"
    BELEID = "beleid"


class Status(StrEnum):
    ACTIVE = "actief"
    PAUSED = "gepauzeerd"
    FINISHED = "afgerond"
    TIMED_OUT = "verlopen"

    @property
    def closed(self) -> bool:
        return self in (Status.FINISHED, Status.TIMED_OUT)


CARD_FOR_KIND: dict[DialogueKind, CardId] = {
    DialogueKind.CASUS: "vragen-uitvoerders",
    DialogueKind.BELEID: "vragen-beleidsmakers",
}


class InvalidStateError(ValueError):
    """A DialogueState that breaks the machine's invariants (only reachable through bad stored data)."""


@dataclass(frozen=True)
class DialogueState:
    """Where a dialogue is. `position` indexes `questions`; it equals len(questions) only when finished."""

    kind: DialogueKind
    questions: tuple[str, ...]
    position: int
    status: Status
    last_activity: datetime

    def __post_init__(self) -> None:
        if not self.questions:
            raise InvalidStateError("een dialoog heeft minstens één vraag")
        if not 0 <= self.position <= len(self.questions):
            raise InvalidStateError(f"positie {self.position} buiten 0..{len(self.questions)}")
        if self.position == len(self.questions) and self.status is not Status.FINISHED:
            raise InvalidStateError("voorbij de laatste vraag kan alleen als de dialoog is afgerond")
        if self.last_activity.tzinfo is None:
            raise InvalidStateError("last_activity moet een tijdzone hebben")

    @property
    def card(self) -> CardId:
        return CARD_FOR_KIND[self.kind]

    @property
    def current(self) -> str | None:
        """The id of the question being asked, None once past the end."""
        return self.questions[self.position] if self.position < len(self.questions) else None


# Events -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    author: str
    text: str


@dataclass(frozen=True)
class Skip:
    author: str


@dataclass(frozen=True)
class Back:
    author: str


@dataclass(frozen=True)
class Pause:
    author: str


@dataclass(frozen=True)
class Resume:
    author: str


@dataclass(frozen=True)
class Finish:
    author: str


@dataclass(frozen=True)
class Timeout:
    """Sent by the sweep; closes the dialogue only if it has really been idle for `after`."""

    after: timedelta


Event = Answer | Skip | Back | Pause | Resume | Finish | Timeout


# Outputs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """Ask this question. `new_group` says the group heading (the context) should be shown again."""

    question: CardItem
    number: int
    total: int
    new_group: bool


@dataclass(frozen=True)
class Recorded:
    question_id: str
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Skipped:
    question_id: str
    author: str
    at: datetime


@dataclass(frozen=True)
class Paused:
    author: str


@dataclass(frozen=True)
class Resumed:
    author: str


@dataclass(frozen=True)
class Finished:
    author: str
    complete: bool


@dataclass(frozen=True)
class TimedOut:
    idle_days: int


@dataclass(frozen=True)
class Refused:
    reason: str


Output = Asked | Recorded | Skipped | Paused | Resumed | Finished | TimedOut | Refused


@dataclass(frozen=True)
class AnswerRecord:
    """One stored answer (or skip) as the store gives it back, for summaries and exports."""

    question_id: str
    author: str
    text: str
    skipped: bool
    at: datetime


# Texts ------------------------------------------------------------------------------------------

PAUSED_REASON = "Deze casus staat op pauze. Hervat hem eerst (verder) als je verder wilt."
CLOSED_REASON = "Dit gesprek is al afgesloten; er wordt niets meer opgeslagen."
FIRST_QUESTION_REASON = "Dit is al de eerste vraag; verder terug kan niet."
EMPTY_ANSWER_REASON = "Een leeg antwoord sla ik niet op. Wil je deze vraag overslaan? Kies dan overslaan."
NOT_PAUSED_REASON = "Dit gesprek staat niet op pauze."
NOT_IDLE_REASON = "Dit gesprek is nog niet lang genoeg stil om het te sluiten."


# Machine ----------------------------------------------------------------------------------------


def question_ids(deck: Deck, kind: DialogueKind, voor: bool = False) -> tuple[str, ...]:
    """The questions in walking order: casus = (Vóór,) Tijdens, Na; beleid = all steps in card order."""
    items = deck.items(CARD_FOR_KIND[kind])
    if kind is DialogueKind.BELEID:
        return tuple(item.id for item in items)
    sections = ((VOOR_SECTION,) if voor else ()) + CASUS_SECTIONS
    return tuple(item.id for section in sections for item in items if item.section == section)


def start(kind: DialogueKind, deck: Deck, now: datetime, voor: bool = False) -> tuple[DialogueState, list[Output]]:
    state = DialogueState(kind, question_ids(deck, kind, voor), 0, Status.ACTIVE, now)
    return state, [_ask(state, deck, previous=None)]


def _ask(state: DialogueState, deck: Deck, previous: int | None) -> Asked:
    item = deck.item(state.questions[state.position])
    new_group = previous is None or deck.item(state.questions[previous]).group_id != item.group_id
    return Asked(item, state.position + 1, len(state.questions), new_group)


def _advance(
    state: DialogueState, deck: Deck, now: datetime, done: Output, author: str
) -> tuple[DialogueState, list[Output]]:
    position = state.position + 1
    if position == len(state.questions):
        final = replace(state, position=position, status=Status.FINISHED, last_activity=now)
        return final, [done, Finished(author, complete=True)]
    moved = replace(state, position=position, last_activity=now)
    return moved, [done, _ask(moved, deck, previous=state.position)]


def step(state: DialogueState, event: Event, deck: Deck, now: datetime) -> tuple[DialogueState, list[Output]]:
    """Apply one event; an event that does not fit leaves the state unchanged and gives `Refused`."""
    if state.status.closed:
        return state, [Refused(CLOSED_REASON)]
    if isinstance(event, Timeout):
        return _timeout(state, event, now)
    if isinstance(event, Finish):
        return replace(state, status=Status.FINISHED, last_activity=now), [Finished(event.author, complete=False)]
    if isinstance(event, Pause):
        if state.status is Status.PAUSED:
            return state, [Refused(PAUSED_REASON)]
        return replace(state, status=Status.PAUSED, last_activity=now), [Paused(event.author)]
    if isinstance(event, Resume):
        if state.status is not Status.PAUSED:
            return state, [Refused(NOT_PAUSED_REASON)]
        resumed = replace(state, status=Status.ACTIVE, last_activity=now)
        return resumed, [Resumed(event.author), _ask(resumed, deck, previous=None)]
    if state.status is Status.PAUSED:
        return state, [Refused(PAUSED_REASON)]
    return _walk(state, event, deck, now)


def _walk(
    state: DialogueState, event: Answer | Skip | Back, deck: Deck, now: datetime
) -> tuple[DialogueState, list[Output]]:
    question = state.questions[state.position]
    if isinstance(event, Answer):
        text = event.text.strip()
        if not text:
            return state, [Refused(EMPTY_ANSWER_REASON)]
        return _advance(state, deck, now, Recorded(question, event.author, text, now), event.author)
    if isinstance(event, Skip):
        return _advance(state, deck, now, Skipped(question, event.author, now), event.author)
    if state.position == 0:
        return state, [Refused(FIRST_QUESTION_REASON)]
    back = replace(state, position=state.position - 1, last_activity=now)
    return back, [_ask(back, deck, previous=state.position)]


def _timeout(state: DialogueState, event: Timeout, now: datetime) -> tuple[DialogueState, list[Output]]:
    idle = now - state.last_activity
    if idle < event.after:
        return state, [Refused(NOT_IDLE_REASON)]
    return replace(state, status=Status.TIMED_OUT), [TimedOut(idle_days=idle.days)]
