"""The casus service: redaction before storage, resuming after a restart, timeouts, retention, export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.dialogue import Asked, DialogueKind, Recorded, Refused, Status, TimedOut
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.dialogues import ThreadKey

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = ThreadKey("T1", "C1", "1700000000.000100")
PII = "BSN 111222333, IBAN NL91ABNA0417164300, mail j.jansen@example.nl"


ContextFor = Callable[..., AppContext]


@pytest.fixture
def context_for(make_context: Callable[[Settings], AppContext]) -> ContextFor:
    """An AppContext on the session's deck and index for a database path and settings overrides."""

    def build(path: Path, **overrides: int) -> AppContext:
        return make_context(Settings(db_path=path, **overrides))  # type: ignore[arg-type]

    return build


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "casus.db"


@pytest.fixture
def service(db_path: Path, context_for: ContextFor) -> Iterator[CasusService]:
    context = context_for(db_path)
    yield CasusService(context)
    context.close()


def _database_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_answer_with_bsn_iban_and_email_never_reaches_the_database_file(db_path: Path, context_for: ContextFor) -> None:
    context = context_for(db_path)
    service = CasusService(context)
    started = service.start(KEY, DialogueKind.CASUS, "Mevrouw j.jansen@example.nl", "U1", T0)
    result = service.answer(KEY, "U2", PII, T0)
    assert result is not None
    assert set(result.redacted) == {"BSN", "IBAN", "e-mailadres"}
    assert "BSN" in result.notice
    assert started.redacted == ("e-mailadres",)
    raw = _database_bytes(db_path)
    context.close()
    raw += _database_bytes(db_path)
    for secret in (b"111222333", b"NL91ABNA0417164300", b"j.jansen@example.nl", b"example.nl"):
        assert secret not in raw
    assert b"[BSN]" in raw


def test_purged_answer_text_is_gone_from_the_database_file(db_path: Path, context_for: ContextFor) -> None:
    context = context_for(db_path)
    service = CasusService(context)
    service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.answer(KEY, "U2", "vertrouwelijk-zinnetje-van-bob", T0)
    assert b"vertrouwelijk-zinnetje-van-bob" in _database_bytes(db_path)
    assert service.forget_user("U2") == 1
    context.close()
    assert b"vertrouwelijk-zinnetje-van-bob" not in _database_bytes(db_path)


def test_restart_resumes_at_exactly_the_same_question(db_path: Path, context_for: ContextFor) -> None:
    context = context_for(db_path)
    service = CasusService(context)
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.answer(KEY, "U1", "een", T0)
    dialogue_id = started.dialogue.id
    service.act(dialogue_id, "overslaan", "U2", T0)
    context.close()

    reopened = CasusService(context_for(db_path))
    record = reopened.get(dialogue_id)
    assert record is not None
    assert record.state.current == started.dialogue.state.questions[2]
    result = reopened.answer(KEY, "U2", "drie", T0)
    assert result is not None
    assert [a.question_id for a in reopened.dialogues.answers(dialogue_id)] == list(record.state.questions[:3])
    reopened.context.close()


def test_reply_in_a_thread_without_dialogue_is_ignored(service: CasusService) -> None:
    service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    assert service.answer(ThreadKey("T1", "C1", "999.1"), "U1", "los bericht", T0) is None


def test_finishing_returns_a_summary_with_authors_and_suggestions(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.answer(KEY, "U1", "Mevrouw heeft grote schulden en een huurachterstand", T0)
    service.answer(KEY, "U2", "Ik ben de juiste persoon", T0)
    result = service.act(started.dialogue.id, "afronden", "U1", T0)
    assert result is not None
    assert result.summary is not None
    assert result.summary.authors == ("U1", "U2")
    assert result.summary.signals
    assert result.dialogue.state.status is Status.FINISHED


def test_timeout_sweep_closes_idle_dialogues_once(service: CasusService) -> None:
    idle = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    busy = service.start(ThreadKey("T1", "C1", "2"), DialogueKind.BELEID, "Kwijtschelding", "U1", T0)
    service.answer(busy.dialogue.key, "U1", "recent", T0 + timedelta(days=10))
    closed = service.sweep_timeouts(T0 + timedelta(days=15))
    assert [r.dialogue.id for r in closed] == [idle.dialogue.id]
    assert isinstance(closed[0].outputs[0], TimedOut)
    assert closed[0].summary is not None
    assert service.sweep_timeouts(T0 + timedelta(days=16)) == []


def test_retention_purge_uses_the_configured_days(db_path: Path, context_for: ContextFor) -> None:
    context = context_for(db_path, retention_days=30)
    service = CasusService(context)
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.answer(KEY, "U1", "weg ermee", T0)
    service.act(started.dialogue.id, "afronden", "U1", T0)
    assert service.purge_retention(T0 + timedelta(days=29)) == 0
    assert service.purge_retention(T0 + timedelta(days=31)) == 1
    assert service.dialogues.answers(started.dialogue.id) == []
    context.close()


def test_answer_after_pause_is_refused_until_resumed(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.act(started.dialogue.id, "pauzeer", "U1", T0)
    refused = service.answer(KEY, "U2", "te vroeg", T0)
    assert refused is not None
    assert isinstance(refused.outputs[0], Refused)
    resumed = service.act(started.dialogue.id, "verder", "U2", T0)
    assert resumed is not None
    assert any(isinstance(o, Asked) for o in resumed.outputs)
    assert service.dialogues.answers(started.dialogue.id) == []


def test_export_as_json_and_markdown(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.answer(KEY, "U2", "antwoord twee", T0)
    data = json.loads(service.export(started.dialogue.id, "json") or "")
    first = data["groepen"][0]["vragen"][0]
    assert first["antwoorden"][0] == {"auteur": "U2", "tekst": "antwoord twee", "tijd": "2026-03-02T10:00:00+01:00"}
    markdown = service.export(started.dialogue.id, "md") or ""
    assert markdown.startswith("# Casus: Huur")
    assert "- U2: antwoord twee" in markdown
    assert service.export("cnope") is None


def test_open_for_lists_my_open_casussen(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    assert [r.id for r in service.open_for("U1", "T1")] == [started.dialogue.id]
    service.act(started.dialogue.id, "afronden", "U1", T0)
    assert service.open_for("U1", "T1") == []


def test_retention_of_a_timed_out_dialogue_counts_from_when_it_closed(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.answer(KEY, "U1", "stil daarna", T0)
    service.sweep_timeouts(T0 + timedelta(days=20))
    assert service.purge_retention(T0 + timedelta(days=100)) == 0
    assert service.purge_retention(T0 + timedelta(days=111)) == 1
    assert service.dialogues.answers(started.dialogue.id) == []


def test_replies_after_the_end_are_not_answers(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    service.act(started.dialogue.id, "afronden", "U1", T0)
    assert service.answer(KEY, "U2", "nog even napraten", T0) is None
    assert service.dialogues.answers(started.dialogue.id) == []


def test_a_reply_that_is_a_steering_word_steers_and_anything_else_is_an_answer(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0)
    questions = started.dialogue.state.questions
    skipped = service.reply(KEY, "U2", " Overslaan ", T0)
    assert skipped is not None
    assert skipped.dialogue.state.position == 1
    answered = service.reply(KEY, "U2", "overslaan zou jammer zijn", T0)
    assert answered is not None
    assert answered.dialogue.state.position == 2
    finished = service.reply(KEY, "U2", "/klaar", T0)
    assert finished is not None
    assert finished.closed_now
    assert finished.summary is not None
    answers = [(a.question_id, a.text, a.skipped) for a in service.dialogues.answers(started.dialogue.id)]
    assert answers == [(questions[0], "", True), (questions[1], "overslaan zou jammer zijn", False)]
    assert service.reply(KEY, "U2", "vorige", T0) is None  # closed: the thread is just a thread again


def test_a_slack_step_queues_its_posts_instead_of_computing_the_summary(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0, post=True)
    result = service.act(started.dialogue.id, "afronden", "U1", T0, delivery="trigger:1", post=True)
    assert result is not None
    assert result.closed_now
    assert result.summary is None  # the outbox worker summarises, off the request
    kinds = [e.kind for e in service.context.store.outbox().entries(started.dialogue.id)]
    assert kinds == ["question", "status", "summary", "export"]
    again = service.act(started.dialogue.id, "afronden", "U1", T0, delivery="trigger:1", post=True)
    assert again is not None
    assert again.duplicate
    assert not again.closed_now


def _slack_ts(moment: datetime) -> str:
    return f"{moment.timestamp():.6f}"


def test_an_answer_written_before_the_close_but_handled_after_it_is_kept(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", T0, post=True)
    outbox = service.context.store.outbox()
    [first] = outbox.claim("w", T0)
    outbox.mark_sent(first.id, _slack_ts(T0 - timedelta(seconds=10)), T0)
    question = started.dialogue.state.questions[0]
    service.act(started.dialogue.id, "afronden", "U1", T0, post=True)
    late = service.answer(KEY, "U2", "net op tijd", T0, written_ts=_slack_ts(T0 - timedelta(seconds=5)), post=True)
    assert late is not None
    assert [(o.question_id, o.text) for o in late.outputs if isinstance(o, Recorded)] == [(question, "net op tijd")]
    after = service.answer(KEY, "U3", "te laat", T0, written_ts=_slack_ts(T0 + timedelta(seconds=5)), post=True)
    assert after is None
    assert [a.text for a in service.dialogues.answers(started.dialogue.id)] == ["net op tijd"]
