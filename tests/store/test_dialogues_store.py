"""Contract of the dialogue store, run against every backend (file database and in-memory)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.deck import Deck
from bot.core.dialogue import Answer, DialogueKind, DialogueState, Finish, Output, Pause, Skip, Status, start, step
from bot.store.db import Store, open_store
from bot.store.dialogues import REMOVED, Change, DialogueExistsError, DialogueRecord, DialogueStore, ThreadKey

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = ThreadKey("T1", "C1", "1700000000.000100")


@pytest.fixture(params=["file", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "d.db" if request.param == "file" else ":memory:")
    yield opened
    opened.close()


def _new(
    deck: Deck,
    dialogues: DialogueStore,
    key: ThreadKey = KEY,
    author: str = "U1",
    kind: DialogueKind = DialogueKind.CASUS,
) -> DialogueRecord:
    state, _ = start(kind, deck, T0)
    return dialogues.create(key, "Huurachterstand", author, state)


def _event(deck: Deck, event: Answer | Skip | Pause | Finish, now: datetime = T0) -> Change:
    def change(state: DialogueState, _open: str | None) -> tuple[DialogueState, list[Output]]:
        return step(state, event, deck, now)

    return change


def test_created_dialogue_is_found_by_thread_and_by_id(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    record = _new(deck, dialogues)
    assert dialogues.find(KEY) == record
    assert dialogues.get(record.id) == record
    assert record.state.position == 0
    assert record.state.status is Status.ACTIVE
    assert dialogues.find(ThreadKey("T1", "C1", "other")) is None


def test_second_dialogue_in_the_same_thread_is_refused(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    _new(deck, dialogues)
    with pytest.raises(DialogueExistsError):
        _new(deck, dialogues)


def test_update_saves_state_and_answer_together(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    record = _new(deck, dialogues)
    changed = dialogues.update(record.id, _event(deck, Answer("U2", "omdat het moet"), T0 + timedelta(hours=1)))
    assert changed is not None
    saved = changed.new
    assert changed.old == record
    assert saved.state.position == 1
    assert dialogues.get(record.id) == saved
    [answer] = dialogues.answers(record.id)
    assert (answer.question_id, answer.author, answer.text, answer.skipped) == (
        record.state.questions[0],
        "U2",
        "omdat het moet",
        False,
    )
    assert answer.at == T0 + timedelta(hours=1)


def test_failed_change_leaves_nothing_behind(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    record = _new(deck, dialogues)

    def broken(state: DialogueState, _open: str | None) -> tuple[DialogueState, list[Output]]:
        raise RuntimeError("stuk")

    with pytest.raises(RuntimeError):
        dialogues.update(record.id, broken)
    assert dialogues.get(record.id) == record
    assert dialogues.answers(record.id) == []


def test_update_of_unknown_dialogue_returns_none(deck: Deck, store: Store) -> None:
    assert DialogueStore(store).update("cnope", _event(deck, Skip("U1"))) is None


def test_open_for_lists_dialogues_started_or_answered_by_the_user(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    mine = _new(deck, dialogues, author="U1")
    answered = _new(deck, dialogues, ThreadKey("T1", "C1", "2"), author="U9")
    _new(deck, dialogues, ThreadKey("T1", "C1", "3"), author="U9")
    dialogues.update(answered.id, _event(deck, Answer("U1", "x")))
    assert {r.id for r in dialogues.open_for("U1")} == {mine.id, answered.id}
    assert dialogues.open_for("U1", team="T2") == []


def test_idle_since_lists_only_open_quiet_dialogues(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    quiet = _new(deck, dialogues)
    busy = _new(deck, dialogues, ThreadKey("T1", "C1", "2"))
    dialogues.update(busy.id, _event(deck, Skip("U1"), T0 + timedelta(days=10)))
    assert dialogues.idle_since(T0 + timedelta(days=5)) == [quiet.id]


def test_purge_user_replaces_text_and_author(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    record = _new(deck, dialogues)
    dialogues.update(record.id, _event(deck, Answer("U2", "van U2")))
    dialogues.update(record.id, _event(deck, Answer("U3", "van U3")))
    assert dialogues.purge_user("U2") == 1
    texts = [(a.author, a.text) for a in dialogues.answers(record.id)]
    assert texts == [(REMOVED, REMOVED), ("U3", "van U3")]


def test_retention_purges_answers_of_dialogues_closed_before_the_cutoff(deck: Deck, store: Store) -> None:
    dialogues = DialogueStore(store)
    old = _new(deck, dialogues)
    dialogues.update(old.id, _event(deck, Answer("U1", "oud")))
    dialogues.update(old.id, _event(deck, Pause("U1")))
    dialogues.update(old.id, _event(deck, Finish("U1")))
    still_open = _new(deck, dialogues, ThreadKey("T1", "C1", "2"))
    dialogues.update(still_open.id, _event(deck, Answer("U1", "loopt nog")))
    assert dialogues.purge_closed_before(T0 + timedelta(days=1), T0 + timedelta(days=91)) == 1
    assert dialogues.answers(old.id) == []
    purged = dialogues.get(old.id)
    assert purged is not None
    assert purged.title == REMOVED
    assert [a.text for a in dialogues.answers(still_open.id)] == ["loopt nog"]
    assert dialogues.purge_closed_before(T0 + timedelta(days=1), T0 + timedelta(days=92)) == 0


def test_two_connections_answering_at_once_never_take_the_same_question(deck: Deck, tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    first, second = open_store(path), open_store(path)
    record = _new(deck, DialogueStore(first))
    barrier = threading.Barrier(2)

    def reply(store: Store, author: str) -> None:
        dialogues = DialogueStore(store)
        barrier.wait()
        for n in range(10):
            dialogues.update(record.id, _event(deck, Answer(author, f"{author}-{n}")))

    threads = [threading.Thread(target=reply, args=(s, a)) for s, a in ((first, "U1"), (second, "U2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = DialogueStore(first).answers(record.id)
    assert [a.question_id for a in answers] == list(record.state.questions[:20])
    final = DialogueStore(second).get(record.id)
    assert final is not None
    assert final.state.position == 20
    first.close()
    second.close()
