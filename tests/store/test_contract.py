"""The storage contract every backend must pass: dialogues, processed deliveries and the outbox, used
only through bot.store.contracts. SQLite always; PostgreSQL when MAATWERK_TEST_PG_URL names a server
(each test in a schema of its own), and under CI=true it must be there (.ci/run starts one)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.core.deck import Deck
from bot.core.dialogue import (
    Answer,
    DialogueKind,
    DialogueState,
    Finish,
    Output,
    Recorded,
    Skip,
    Timeout,
    start,
    step,
)
from bot.core.schedule import ChannelSchedule
from bot.store import digests, installations, outbox, schedules
from bot.store.contracts import StoreBackend
from bot.store.db import open_store
from bot.store.dialogues import Change, DialogueRecord, ThreadKey
from tests.store.pg import PG_URL_VARIABLE, pg_url, schema_url

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = timedelta(seconds=30)
KEY = ThreadKey("T1", "C1", "1700000000.000100")

# name -> opener(path): a second opener call on the same path is a second connection (a second process).
BACKENDS: dict[str, Callable[[Path], StoreBackend]] = {"sqlite": lambda path: open_store(path / "contract.db")}
if (URL := pg_url()) is not None:
    # A schema of its own per test (named after the test's tmp_path): a fresh database for each test.
    BACKENDS["postgres"] = lambda path: open_store(schema_url(str(URL), str(path)))


def test_ci_runs_the_contract_on_postgres_too() -> None:
    if os.environ.get("CI") != "true":
        pytest.skip("only CI must have a PostgreSQL server (.ci/run starts one)")
    assert "postgres" in BACKENDS, f"CI=true but {PG_URL_VARIABLE} is not set: .ci/run starts the server"


@pytest.fixture(params=sorted(BACKENDS))
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], StoreBackend]]:
    opened: list[StoreBackend] = []

    def open_backend() -> StoreBackend:
        backend = BACKENDS[request.param](tmp_path)
        opened.append(backend)
        return backend

    yield open_backend
    for backend in opened:
        backend.close()


def _new(store: StoreBackend, deck: Deck, key: ThreadKey = KEY, post: bool = True) -> DialogueRecord:
    state, outputs = start(DialogueKind.CASUS, deck, T0)
    return store.dialogues().create(key, "Huurachterstand", "U1", state, post=outputs if post else None)


def _event(deck: Deck, event: Answer | Skip | Finish, now: datetime = T0) -> Change:
    def change(state: DialogueState, _open: str | None) -> tuple[DialogueState, list[Output]]:
        return step(state, event, deck, now)

    return change


def _send_all(store: StoreBackend, ts: str = "1700000001.000000") -> list[str]:
    """Play the outbox worker: claim and mark sent until nothing is left; return the kinds sent."""
    kinds: list[str] = []
    now = T0
    while claimed := store.outbox().claim("w", now):
        for entry in claimed:
            store.outbox().mark_sent(entry.id, ts, now)
            kinds.append(entry.kind)
    return kinds


def test_a_delivery_is_claimed_once_and_forgotten_after_the_cutoff(
    opener: Callable[[], StoreBackend],
) -> None:
    deliveries = opener().deliveries()
    assert deliveries.claim("event:Ev1", T0)
    assert not deliveries.claim("event:Ev1", T0 + timedelta(seconds=5))
    assert deliveries.seen("event:Ev1")
    assert deliveries.forget_before(T0 + timedelta(days=1)) == 1
    assert not deliveries.seen("event:Ev1")


def test_the_delivery_key_is_written_with_the_effect_or_not_at_all(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)

    def broken(state: DialogueState, _open: str | None) -> tuple[DialogueState, list[Output]]:
        raise RuntimeError("crash between key and effect")

    with pytest.raises(RuntimeError):
        store.dialogues().update(record.id, broken, T0, delivery="event:Ev1", post=True)
    assert not store.deliveries().seen("event:Ev1")  # so the retry is done now, not dropped

    done = store.dialogues().update(record.id, _event(deck, Answer("U2", "x")), T0, delivery="event:Ev1", post=True)
    assert done is not None
    assert not done.duplicate
    again = store.dialogues().update(record.id, _event(deck, Answer("U2", "x")), T0, delivery="event:Ev1", post=True)
    assert again is not None
    assert again.duplicate
    assert again.outputs == []
    assert len(store.dialogues().answers(record.id)) == 1
    assert store.deliveries().seen("event:Ev1")


def test_update_returns_old_and_new_state_and_queues_exactly_one_next_question(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)
    transition = store.dialogues().update(record.id, _event(deck, Answer("U2", "x")), T0, post=True)
    assert transition is not None
    assert transition.old.state.position == 0
    assert transition.new.state.position == 1
    assert [type(o).__name__ for o in transition.outputs] == ["Recorded", "Asked"]
    kinds = [entry.kind for entry in store.outbox().entries(record.id)]
    assert kinds == [outbox.QUESTION, outbox.QUESTION]  # the first question, and the one after the answer
    assert transition.new == store.dialogues().get(record.id)  # what update returns is what was stored
    later = T0 + timedelta(minutes=5, microseconds=7)
    closed = store.dialogues().update(record.id, _event(deck, Finish("U2"), later), later + LATER, post=True)
    assert closed is not None
    assert closed.closed_now
    assert closed.new.closed_at == later + LATER
    assert closed.new == store.dialogues().get(record.id)
    again = store.dialogues().update(record.id, _event(deck, Finish("U3"), later), later + 2 * LATER)
    assert again is not None
    assert again.new == store.dialogues().get(record.id)  # closed once: closed_at stays


def test_outbox_hands_out_one_entry_per_dialogue_in_order_and_takes_over_expired_claims(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)
    store.dialogues().update(record.id, _event(deck, Skip("U2")), T0, post=True)  # note + next question
    [first] = store.outbox().claim("a", T0)
    assert first.kind == outbox.QUESTION
    assert not first.taken_over
    assert store.outbox().claim("b", T0) == []  # the oldest entry is claimed; the rest waits behind it
    [again] = store.outbox().claim("b", T0 + outbox.LEASE + timedelta(seconds=1))
    assert again.id == first.id
    assert again.taken_over
    store.outbox().mark_sent(again.id, "1700000001.000001", T0)
    [note] = store.outbox().claim("b", T0)
    assert note.kind == outbox.STATUS
    store.outbox().give_up(note.id, "channel_not_found", T0)
    [question] = store.outbox().claim("b", T0)
    assert question.kind == outbox.QUESTION
    store.outbox().retry_later(question.id, T0 + timedelta(seconds=30))
    assert store.outbox().claim("b", T0 + timedelta(seconds=10)) == []
    assert store.outbox().pending() == 1


def test_a_claim_writes_the_outcomes_it_is_given_first_and_then_claims_the_entries_behind_them(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)
    store.dialogues().update(record.id, _event(deck, Skip("U2")), T0, post=True)  # note + next question
    [first] = store.outbox().claim("a", T0)
    assert store.outbox().claim("a", T0) == []  # in flight: the rest waits behind it
    [note] = store.outbox().claim("a", T0, settle=[outbox.Outcome.sent(first.id, "1700000001.000001", T0)])
    assert note.kind == outbox.STATUS  # the same transaction marked the first one sent
    [question] = store.outbox().claim("a", T0, limit=5, settle=[outbox.Outcome.given_up(note.id, "gone", T0)])
    assert question.kind == outbox.QUESTION
    assert store.outbox().claim("a", T0, limit=0, settle=[outbox.Outcome.retry(question.id, T0 + LATER)]) == []
    assert store.outbox().claim("b", T0 + LATER / 2) == []  # not before the retry time
    [again] = store.outbox().claim("b", T0 + LATER)
    assert (again.id, again.taken_over) == (question.id, True)
    store.outbox().settle([outbox.Outcome.sent(again.id, "1700000002.000001", T0)])
    entries = store.outbox().entries(record.id)
    assert [e.sent_ts for e in entries] == ["1700000001.000001", None, "1700000002.000001"]
    assert store.outbox().pending() == 0


def test_entries_in_flight_do_not_take_up_the_limit_of_a_claim(opener: Callable[[], StoreBackend], deck: Deck) -> None:
    store = opener()
    for n in range(6):
        _new(store, deck, ThreadKey("T1", "C1", f"1700000000.00000{n}"))
    in_flight = store.outbox().claim("a", T0, limit=3)  # the three oldest dialogues' first questions
    more = store.outbox().claim("a", T0, limit=3)
    assert len(more) == 3  # the other three, not the three still in flight
    assert {e.id for e in more}.isdisjoint(e.id for e in in_flight)
    assert store.outbox().claim("a", T0, limit=3) == []


def test_two_connections_closing_one_dialogue_at_once_queue_one_summary(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    first, second = opener(), opener()
    record = _new(first, deck)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def close(store: StoreBackend, author: str) -> None:
        barrier.wait()
        transition = store.dialogues().update(record.id, _event(deck, Finish(author)), T0, post=True)
        assert transition is not None
        results.append(transition.closed_now)

    threads = [threading.Thread(target=close, args=(s, u)) for s, u in ((first, "U1"), (second, "U2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    kinds = [entry.kind for entry in first.outbox().entries(record.id)]
    assert kinds.count(outbox.SUMMARY) == 1
    assert kinds.count(outbox.EXPORT) == 1


def test_an_answer_is_kept_for_the_question_open_when_it_was_written(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)
    assert _send_all(store, "1700000001.000000") == [outbox.QUESTION]  # question 1 visible from ts …01
    first_question = record.state.questions[0]

    def answer(author: str) -> Change:
        def change(state: DialogueState, open_question: str | None) -> tuple[DialogueState, list[Output]]:
            if open_question is not None and open_question != state.current:
                return state, [Recorded(open_question, author, author, T0)]
            return step(state, Answer(author, author), deck, T0)

        return change

    # Two people answer question 1 at once; the second reply is handled after the first moved on.
    store.dialogues().update(record.id, answer("U2"), T0, written_ts="1700000002.000000", post=True)
    late = store.dialogues().update(record.id, answer("U3"), T0, written_ts="1700000002.500000", post=True)
    assert late is not None
    assert late.new.state.position == 1
    answers = store.dialogues().answers(record.id)
    assert [(a.question_id, a.author) for a in answers] == [(first_question, "U2"), (first_question, "U3")]
    questions = [e for e in store.outbox().entries(record.id) if e.kind == outbox.QUESTION]
    assert len(questions) == 2  # one next question for the one answer that moved the dialogue


def test_posted_notes_are_forgotten_after_the_cutoff_and_questions_once_the_dialogue_closed(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)
    store.dialogues().update(record.id, _event(deck, Skip("U2")), T0, post=True)
    _send_all(store)
    later = datetime.now(UTC) + timedelta(days=2)
    assert store.outbox().forget_sent_before(later) == 1  # the note naming U2; questions stay
    assert {e.kind for e in store.outbox().entries(record.id)} == {outbox.QUESTION}
    store.dialogues().update(record.id, _event(deck, Finish("U1")), T0, post=True)
    _send_all(store)
    handled = len(store.outbox().entries(record.id))  # two questions, the finish note, summary, export
    assert handled == 5
    assert store.outbox().forget_sent_before(later) == handled
    assert store.outbox().entries(record.id) == []


def test_a_week_of_lessons_is_claimed_once_by_two_connections_at_once(opener: Callable[[], StoreBackend]) -> None:
    first, second = opener(), opener()
    schedules.save_schedule(first, ChannelSchedule(team="T1", channel="C9"), "U1", T0)
    assert [r.schedule.channel for r in schedules.enabled_schedules(second)] == ["C9"]
    barrier = threading.Barrier(2)
    claims: list[schedules.Claim | None] = []

    def claim(store: StoreBackend) -> None:
        barrier.wait()
        claims.append(schedules.claim(store, "C9", "2026-W10", "les-1", 1, T0))

    threads = [threading.Thread(target=claim, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [c for c in claims if c is not None]
    assert len(won) == 1
    assert schedules.weeks_delivered(second, "C9") == {"2026-W10"}
    assert schedules.history(first, "C9") == [(1, "les-1")]


def test_a_stale_lesson_claim_is_taken_over_by_one_connection_and_the_old_claim_cannot_mark_it_sent(
    opener: Callable[[], StoreBackend],
) -> None:
    first, second = opener(), opener()
    old = schedules.claim(first, "C9", "2026-W10", "les-1", 1, T0)
    assert old is not None
    later = T0 + schedules.CLAIM_TIMEOUT + timedelta(minutes=1)
    barrier = threading.Barrier(2)
    taken: list[list[schedules.Claim]] = []

    def take_over(store: StoreBackend) -> None:
        barrier.wait()
        taken.append(schedules.take_over_stale_claims(store, later))

    threads = [threading.Thread(target=take_over, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [claim] = [c for claimed in taken for c in claimed]
    assert claim.retried
    assert not schedules.mark_sent(first, old, "1700000009.000000", later)
    assert schedules.mark_sent(second, claim, "1700000009.000000", later)
    assert schedules.sent_lessons(first, "C9") == [("2026-W10", "les-1")]


def test_a_month_of_digest_is_claimed_once_by_two_connections_at_once(opener: Callable[[], StoreBackend]) -> None:
    first, second = opener(), opener()
    assert digests.enable(first, "T1", "C9", "U1", T0)
    assert not digests.enable(second, "T1", "C9", "U1", T0)  # on already: nothing changes
    assert [c.channel for c in digests.enabled_channels(second)] == ["C9"]
    barrier = threading.Barrier(2)
    claims: list[digests.DigestClaim | None] = []

    def claim(store: StoreBackend) -> None:
        barrier.wait()
        claims.append(digests.claim(store, "C9", "2026-02", T0))

    threads = [threading.Thread(target=claim, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [won] = [c for c in claims if c is not None]
    assert digests.months_delivered(second, "C9") == {"2026-02"}
    assert digests.sent_ts(first, "C9", "2026-02") is None
    assert digests.mark_sent(second, won, "1700000009.000000", T0)
    assert digests.sent_ts(first, "C9", "2026-02") == "1700000009.000000"


def test_a_stale_digest_claim_is_taken_over_by_one_connection_and_the_old_claim_cannot_mark_it_sent(
    opener: Callable[[], StoreBackend],
) -> None:
    first, second = opener(), opener()
    old = digests.claim(first, "C9", "2026-02", T0)
    assert old is not None
    later = T0 + digests.CLAIM_TIMEOUT + timedelta(minutes=1)
    barrier = threading.Barrier(2)
    taken: list[list[digests.DigestClaim]] = []

    def take_over(store: StoreBackend) -> None:
        barrier.wait()
        taken.append(digests.take_over_stale_claims(store, later))

    threads = [threading.Thread(target=take_over, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [claim] = [c for claimed in taken for c in claimed]
    assert claim.retried
    assert not digests.mark_sent(first, old, "1700000009.000000", later)
    assert digests.mark_sent(second, claim, "1700000009.000000", later)
    assert digests.sent_ts(first, "C9", "2026-02") == "1700000009.000000"


def test_timed_out_dialogues_are_found_for_starter_and_answerer_within_their_team(
    opener: Callable[[], StoreBackend], deck: Deck
) -> None:
    store = opener()
    record = _new(store, deck)
    store.dialogues().update(record.id, _event(deck, Answer("U2", "x")), T0)
    _new(store, deck, ThreadKey("T2", "C1", "1700000000.000300"))  # another team, never timed out
    later = T0 + timedelta(days=20)
    store.dialogues().update(record.id, _event(deck, Timeout(timedelta(days=14)), later), later)
    assert [r.id for r in store.dialogues().timed_out_for("U1", "T1", T0)] == [record.id]
    assert [r.id for r in store.dialogues().timed_out_for("U2", None, T0)] == [record.id]
    assert store.dialogues().timed_out_for("U2", "T2", T0) == []
    assert store.dialogues().timed_out_for("U1", "T1", later + timedelta(days=1)) == []
    assert store.dialogues().open_for("U1", "T1") == []


def test_installations_are_kept_per_team_with_the_token_encrypted_and_states_consumed_once(
    opener: Callable[[], StoreBackend],
) -> None:
    first, second = opener(), opener()
    cipher = Fernet(Fernet.generate_key())
    record = installations.InstallationRecord(
        team_id="T2",
        enterprise_id="",
        app_id="A1",
        bot_id="B2",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        bot_token="xoxb-T2-geheim",
        installer_user_id="UADMIN",
        installed_at=T0,
    )
    installations.save(first, cipher, record)
    installations.save(first, cipher, record)  # a reinstall replaces the row
    assert installations.find(second, cipher, "T2") == record
    assert installations.find(second, cipher, "T1") is None
    with second.read() as db:
        stored = [str(row[0]) for row in db.execute("SELECT bot_token_encrypted FROM slack_installations").fetchall()]
    assert len(stored) == 1
    assert "geheim" not in stored[0]
    assert installations.delete(second, "T2")
    assert not installations.delete(first, "T2")
    assert installations.teams(first) == []

    installations.issue_state(first, "s2", T0 + timedelta(minutes=1), T0)
    installations.issue_state(first, "s1", T0 + timedelta(minutes=10), T0)
    assert installations.consume_state(second, "s1", T0)
    assert not installations.consume_state(first, "s1", T0)  # once
    assert not installations.consume_state(first, "s2", T0 + timedelta(minutes=2))  # expired
    assert not installations.consume_state(first, "forged", T0)


def _texts_in_live_rows(store: StoreBackend) -> list[str]:
    with store.read() as db:
        rows = db.execute("SELECT text FROM answers UNION ALL SELECT title FROM dialogues").fetchall()
    return [str(row[0]) for row in rows]


def test_purges_leave_no_answer_text_in_live_rows(opener: Callable[[], StoreBackend], deck: Deck) -> None:
    store = opener()
    kept = _new(store, deck, ThreadKey("T1", "C1", "1700000000.000200"))
    closed = _new(store, deck)
    store.dialogues().update(kept.id, _event(deck, Answer("U2", "geheim-van-u2")), T0)
    store.dialogues().update(kept.id, _event(deck, Answer("U3", "blijft-staan")), T0)
    store.dialogues().update(closed.id, _event(deck, Answer("U3", "oud-antwoord")), T0)
    store.dialogues().update(closed.id, _event(deck, Finish("U3")), T0)

    assert store.dialogues().purge_user("U2") == 1
    assert store.dialogues().purge_closed_before(T0 + timedelta(days=1), T0 + timedelta(days=1)) == 1
    texts = _texts_in_live_rows(store)
    assert "blijft-staan" in texts
    assert not any("geheim-van-u2" in t or "oud-antwoord" in t for t in texts)
    assert store.dialogues().answers(closed.id) == []
    assert [a.author for a in store.dialogues().answers(kept.id)] == ["[verwijderd]", "U3"]
