"""The pure vragenkaart state machine: walking order, controls, refusals, and properties over any events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.deck import Deck
from bot.core.dialogue import (
    Answer,
    Asked,
    Back,
    DialogueKind,
    DialogueState,
    Event,
    Finish,
    Finished,
    InvalidStateError,
    Pause,
    Paused,
    Recorded,
    Refused,
    Resume,
    Resumed,
    Skip,
    Skipped,
    Status,
    TimedOut,
    Timeout,
    question_ids,
    start,
    step,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _asked(outputs: list[object]) -> Asked:
    found = [o for o in outputs if isinstance(o, Asked)]
    assert len(found) == 1
    return found[0]


def test_casus_walks_tijdens_then_na(deck: Deck) -> None:
    ids = question_ids(deck, DialogueKind.CASUS)
    sections = [deck.item(i).section for i in ids]
    assert sections[0] == "Tijdens"
    assert sections[-1] == "Na"
    assert "Vóór" not in sections
    assert sections == sorted(sections, key=["Tijdens", "Na"].index)


def test_casus_with_voor_starts_with_the_voor_questions(deck: Deck) -> None:
    ids = question_ids(deck, DialogueKind.CASUS, voor=True)
    assert deck.item(ids[0]).section == "Vóór"
    assert ids[-len(question_ids(deck, DialogueKind.CASUS)) :] == question_ids(deck, DialogueKind.CASUS)


def test_beleid_walks_all_steps_of_the_beleidsmakers_card_in_order(deck: Deck) -> None:
    ids = question_ids(deck, DialogueKind.BELEID)
    assert list(ids) == [item.id for item in deck.items("vragen-beleidsmakers")]
    assert len({deck.item(i).section for i in ids}) == 7


def test_start_asks_the_first_question_with_its_group(deck: Deck) -> None:
    state, outputs = start(DialogueKind.CASUS, deck, T0)
    asked = _asked(outputs)
    assert asked.question.id == state.questions[0]
    assert asked.number == 1
    assert asked.new_group
    assert state.status is Status.ACTIVE


def test_answer_records_it_and_asks_the_next_question(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    new, outputs = step(state, Answer("U1", "  Huur  "), deck, T0 + timedelta(minutes=1))
    assert outputs[0] == Recorded(state.questions[0], "U1", "Huur", T0 + timedelta(minutes=1))
    assert _asked(outputs).question.id == state.questions[1]
    assert new.position == 1
    assert new.last_activity == T0 + timedelta(minutes=1)


def test_group_heading_is_repeated_only_when_the_group_changes(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    same_group = deck.item(state.questions[0]).group_id == deck.item(state.questions[1]).group_id
    _, outputs = step(state, Skip("U1"), deck, T0)
    assert _asked(outputs).new_group is not same_group


def test_back_asks_the_previous_question_again(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    state, _ = step(state, Answer("U1", "a"), deck, T0)
    state, outputs = step(state, Back("U2"), deck, T0)
    assert state.position == 0
    assert _asked(outputs).question.id == state.questions[0]


def test_back_at_first_question_is_refused_and_changes_nothing(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    new, outputs = step(state, Back("U1"), deck, T0 + timedelta(hours=1))
    assert new == state
    assert isinstance(outputs[0], Refused)


def test_empty_answer_is_refused(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    new, outputs = step(state, Answer("U1", "   "), deck, T0)
    assert new == state
    assert isinstance(outputs[0], Refused)


def test_answer_while_paused_is_refused_and_resume_asks_the_same_question(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    state, _ = step(state, Skip("U1"), deck, T0)
    state, outputs = step(state, Pause("U1"), deck, T0)
    assert outputs == [Paused("U1")]
    same, outputs = step(state, Answer("U2", "tekst"), deck, T0)
    assert same == state
    assert isinstance(outputs[0], Refused)
    resumed, outputs = step(state, Resume("U2"), deck, T0)
    assert outputs[0] == Resumed("U2")
    assert _asked(outputs).question.id == state.questions[1]
    assert resumed.status is Status.ACTIVE


def test_answering_the_last_question_finishes_the_dialogue(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    for _ in range(len(state.questions) - 1):
        state, _ = step(state, Skip("U1"), deck, T0)
    state, outputs = step(state, Answer("U1", "slot"), deck, T0)
    assert state.status is Status.FINISHED
    assert state.position == len(state.questions)
    assert outputs[-1] == Finished("U1", complete=True)


def test_finish_early_closes_and_later_events_are_refused(deck: Deck) -> None:
    state, _ = start(DialogueKind.BELEID, deck, T0)
    state, outputs = step(state, Finish("U1"), deck, T0)
    assert outputs == [Finished("U1", complete=False)]
    after, outputs = step(state, Answer("U1", "te laat"), deck, T0)
    assert after == state
    assert isinstance(outputs[0], Refused)


def test_timeout_closes_only_after_the_idle_period(deck: Deck) -> None:
    state, _ = start(DialogueKind.CASUS, deck, T0)
    fourteen = timedelta(days=14)
    early, outputs = step(state, Timeout(fourteen), deck, T0 + timedelta(days=13))
    assert early == state
    assert isinstance(outputs[0], Refused)
    closed, outputs = step(state, Timeout(fourteen), deck, T0 + timedelta(days=15))
    assert closed.status is Status.TIMED_OUT
    assert outputs == [TimedOut(idle_days=15)]


def test_state_rejects_positions_outside_the_questions() -> None:
    with pytest.raises(InvalidStateError):
        DialogueState(DialogueKind.CASUS, ("V-U17",), 1, Status.ACTIVE, T0)
    with pytest.raises(InvalidStateError):
        DialogueState(DialogueKind.CASUS, ("V-U17",), 0, Status.ACTIVE, datetime(2026, 1, 1))  # noqa: DTZ001


# Properties ---------------------------------------------------------------------------------------

AUTHORS = st.sampled_from(["U1", "U2", "U3"])
EVENTS: st.SearchStrategy[Event] = st.one_of(
    st.builds(Answer, AUTHORS, st.sampled_from(["ja", "nee, want …", "", "  "])),
    st.builds(Skip, AUTHORS),
    st.builds(Back, AUTHORS),
    st.builds(Pause, AUTHORS),
    st.builds(Resume, AUTHORS),
    st.builds(Finish, AUTHORS),
    st.builds(Timeout, st.sampled_from([timedelta(days=14), timedelta(hours=1)])),
)
STEPS = st.lists(st.tuples(EVENTS, st.integers(min_value=0, max_value=60 * 24 * 20)), max_size=120)
KINDS = st.sampled_from([DialogueKind.CASUS, DialogueKind.BELEID])


def _check_valid(state: DialogueState) -> None:
    assert 0 <= state.position <= len(state.questions)
    if state.status in (Status.ACTIVE, Status.PAUSED):
        assert state.current is not None
    assert state.last_activity.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(kind=KINDS, voor=st.booleans(), steps=STEPS)
def test_any_event_sequence_follows_the_reference_model(
    deck: Deck, kind: DialogueKind, voor: bool, steps: list[tuple[Event, int]]
) -> None:
    state, outputs = start(kind, deck, T0, voor=voor)
    now = T0
    position, status = 0, Status.ACTIVE
    for event, minutes in steps:
        now += timedelta(minutes=minutes)
        before = state
        state, outputs = step(state, event, deck, now)
        _check_valid(state)
        # The reference model: what the position and status must be after this event.
        if status in (Status.FINISHED, Status.TIMED_OUT):
            assert state == before
            continue
        if isinstance(event, Timeout):
            if now - before.last_activity >= event.after:
                status = Status.TIMED_OUT
        elif isinstance(event, Finish):
            status = Status.FINISHED
        elif isinstance(event, Pause):
            status = Status.PAUSED
        elif isinstance(event, Resume):
            status = Status.ACTIVE
        elif status is Status.ACTIVE:
            if isinstance(event, Back):
                position = max(0, position - 1)
            elif isinstance(event, Skip) or event.text.strip():
                position += 1
                if position == len(state.questions):
                    status = Status.FINISHED
        assert (state.position, state.status) == (position, status)
        for output in outputs:
            if isinstance(output, Asked):
                assert output.question.id == state.questions[state.position]
            if isinstance(output, Recorded | Skipped):
                assert output.question_id == before.questions[before.position]
        if state == before:
            assert not any(isinstance(o, Recorded | Skipped | Asked) for o in outputs)


@settings(max_examples=200, deadline=None)
@given(kind=KINDS, steps=STEPS)
def test_without_back_every_question_is_taken_once_and_in_order(
    deck: Deck, kind: DialogueKind, steps: list[tuple[Event, int]]
) -> None:
    state, _ = start(kind, deck, T0)
    taken: list[str] = []
    now = T0
    for event, minutes in steps:
        if isinstance(event, Back):
            continue
        now += timedelta(minutes=minutes)
        state, outputs = step(state, event, deck, now)
        taken += [o.question_id for o in outputs if isinstance(o, Recorded | Skipped)]
    assert taken == list(state.questions[: len(taken)])


@settings(max_examples=200, deadline=None)
@given(kind=KINDS, steps=STEPS)
def test_a_question_is_taken_again_only_after_going_back(
    deck: Deck, kind: DialogueKind, steps: list[tuple[Event, int]]
) -> None:
    state, _ = start(kind, deck, T0)
    takes: dict[str, int] = {}
    backs = 0
    for event, _minutes in steps:
        before = state
        state, outputs = step(state, event, deck, T0)
        if isinstance(event, Back) and state.position < before.position:
            backs += 1
        for output in outputs:
            if isinstance(output, Recorded | Skipped):
                takes[output.question_id] = takes.get(output.question_id, 0) + 1
    assert all(count <= 1 + backs for count in takes.values())
    assert sum(takes.values()) == state.position + backs
