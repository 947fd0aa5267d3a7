"""The export of a casus reads well: short for one answer, complete for 45, honest after skips and purges."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.dialogue import DialogueKind
from bot.core.summary import REMOVED, author_label, author_labeller, local_time
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.dialogues import ThreadKey

WINTER = datetime(2026, 12, 1, 3, 39, tzinfo=UTC)  # 04:39 in Amsterdam
SUMMER = datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Amsterdam
KEY = ThreadKey("T1", "C1", "1700000000.000100")


@pytest.fixture
def service(tmp_path: Path, make_context: Callable[[Settings], AppContext]) -> Iterator[CasusService]:
    context = make_context(Settings(db_path=tmp_path / "s.db"))
    yield CasusService(context)
    context.close()


def _export(service: CasusService, dialogue_id: str) -> str:
    text = service.export(dialogue_id)
    assert text is not None
    return text


def test_one_answer_casus_groups_what_was_not_reached(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huurachterstand", "U1", WINTER)
    service.answer(KEY, "U1", "De verhuurder dreigt met ontruiming", WINTER)
    service.act(started.dialogue.id, "afronden", "U1", WINTER + timedelta(minutes=5))
    text = _export(service, started.dialogue.id)
    total = len(started.dialogue.state.questions)
    assert f"{total - 1} vragen niet aan toegekomen:" in text
    assert "_niet aan toegekomen_" not in text
    assert text.count("niet aan toegekomen") == 1  # one count, not a line per question
    assert "- U1: De verhuurder dreigt met ontruiming" in text
    assert len(text.splitlines()) < 60, text
    assert "- Gestart: 1 december 2026, 04:39" in text
    assert "UTC" not in text


def test_forty_five_answers_from_two_people_all_show_and_two_are_counted_open(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Schulden", "U1", SUMMER, voor=True)
    questions = started.dialogue.state.questions
    assert len(questions) == 47
    for number in range(45):
        service.answer(KEY, ("U1", "U2")[number % 2], f"antwoord nummer {number + 1}", SUMMER)
    service.act(started.dialogue.id, "afronden", "U2", SUMMER + timedelta(hours=1))
    text = _export(service, started.dialogue.id)
    for number in range(45):
        assert f": antwoord nummer {number + 1}\n" in text
    assert "2 vragen niet aan toegekomen:" in text
    assert f"{questions[45]}, {questions[46]}" in text or f"{questions[45]} t/m {questions[46]}" in text
    assert "- Deelnemers: U1, U2" in text
    assert "- Gestart: 1 juli 2027, 10:00" in text
    assert "- Afgesloten: 1 juli 2027, 11:00" in text
    data = json.loads(service.export(started.dialogue.id, "json") or "")
    assert data["gestart"] == "2027-07-01T10:00:00+02:00"


def test_a_skipped_question_answered_after_vorige_shows_only_the_answer(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", WINTER)
    first = started.dialogue.state.questions[0]
    service.act(started.dialogue.id, "overslaan", "U1", WINTER)
    service.act(started.dialogue.id, "vorige", "U1", WINTER)
    service.answer(KEY, "U2", "toch nog beantwoord", WINTER)
    service.act(started.dialogue.id, "afronden", "U1", WINTER)
    text = _export(service, started.dialogue.id)
    block = text.split(f"**{first}**")[1].split("\n\n")[0]
    assert "- U2: toch nog beantwoord" in block
    assert "overgeslagen" not in block


def test_a_skipped_question_still_says_who_skipped_it(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", WINTER)
    service.act(started.dialogue.id, "overslaan", "U1", WINTER)
    service.act(started.dialogue.id, "afronden", "U1", WINTER)
    assert "- _overgeslagen door U1_" in _export(service, started.dialogue.id)


def test_after_the_retention_purge_the_answers_show_as_removed(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", WINTER)
    service.answer(KEY, "U1", "een antwoord dat weg moet", WINTER)
    service.act(started.dialogue.id, "afronden", "U1", WINTER)
    assert service.purge_retention(WINTER + timedelta(days=365)) == 1
    text = _export(service, started.dialogue.id)
    assert REMOVED in text
    assert "een antwoord dat weg moet" not in text
    assert "niet aan toegekomen" not in text
    assert json.loads(service.export(started.dialogue.id, "json") or "")["verwijderd"] is True


def test_after_forget_an_answer_reads_removed_without_a_name(service: CasusService) -> None:
    started = service.start(KEY, DialogueKind.CASUS, "Huur", "U1", WINTER)
    service.answer(KEY, "U2", "weg ermee", WINTER)
    service.act(started.dialogue.id, "afronden", "U1", WINTER)
    service.forget_user("U2")
    text = _export(service, started.dialogue.id)
    assert f"- {REMOVED}\n" in text
    assert "weg ermee" not in text


def test_author_label_prefers_the_display_name_and_never_writes_a_mention() -> None:
    names = {"U1": "Fatima de Vries", "U2": "  "}
    assert author_label("U1", names) == "Fatima de Vries"
    assert author_label("U2", names) == "U2"
    assert author_label("U3") == "U3"
    assert author_label(REMOVED, names) == REMOVED
    assert author_labeller(names)("U1") == "Fatima de Vries"


def test_local_time_follows_dutch_winter_and_summer_time() -> None:
    assert local_time(WINTER) == "1 december 2026, 04:39"
    assert local_time(SUMMER) == "1 juli 2027, 10:00"
