"""`maatwerk export`, `maatwerk privacy purge` and `maatwerk privacy retentie` as real processes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.deck import load_deck
from bot.core.dialogue import DialogueKind
from bot.core.search import SearchIndex
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.db import open_store
from bot.store.dialogues import REMOVED, ThreadKey
from tests.process import run_maatwerk

KEY = ThreadKey("T1", "C1", "1700000000.000100")


def _seed(db: Path, finished_days_ago: int = 0) -> str:
    deck = load_deck()
    context = AppContext(Settings(db_path=db), deck, SearchIndex(deck), open_store(db))  # type: ignore[call-arg]
    service = CasusService(context)
    then = datetime.now(UTC) - timedelta(days=finished_days_ago)
    started = service.start(KEY, DialogueKind.CASUS, "Huurachterstand", "U1", then)
    service.answer(KEY, "U1", "Mevrouw heeft schulden", then)
    service.answer(KEY, "U2", "Zij belde zelf", then)
    if finished_days_ago:
        service.act(started.dialogue.id, "afronden", "U1", then)
    context.close()
    return started.dialogue.id


def test_export_prints_markdown_by_default(tmp_path: Path) -> None:
    dialogue_id = _seed(tmp_path / "c.db")
    result = run_maatwerk("export", dialogue_id, db=tmp_path / "c.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Casus: Huurachterstand")
    assert "- U2: Zij belde zelf" in result.stdout


def test_export_json_has_groups_answers_and_suggestions(tmp_path: Path) -> None:
    dialogue_id = _seed(tmp_path / "c.db")
    data = json.loads(run_maatwerk("export", dialogue_id, "--format", "json", db=tmp_path / "c.db").stdout)
    assert data["id"] == dialogue_id
    assert data["deelnemers"] == ["U1", "U2"]
    assert data["groepen"][0]["vragen"][0]["antwoorden"][0]["tekst"] == "Mevrouw heeft schulden"
    assert {"signalen", "argumenten"} <= set(data)


def test_export_of_unknown_id_fails_with_a_message(tmp_path: Path) -> None:
    _seed(tmp_path / "c.db")
    result = run_maatwerk("export", "cnope00", db=tmp_path / "c.db")
    assert result.returncode == 1
    assert "cnope00" in result.stderr


def test_privacy_purge_replaces_the_users_answers(tmp_path: Path) -> None:
    dialogue_id = _seed(tmp_path / "c.db")
    result = run_maatwerk("privacy", "purge", "--user", "U2", db=tmp_path / "c.db")
    assert result.returncode == 0, result.stderr
    assert "1 antwoord" in result.stdout
    data = json.loads(run_maatwerk("export", dialogue_id, "--format", "json", db=tmp_path / "c.db").stdout)
    texts = [a["tekst"] for g in data["groepen"] for q in g["vragen"] for a in q["antwoorden"]]
    assert texts == ["Mevrouw heeft schulden", REMOVED]


def test_privacy_retentie_purges_old_closed_dialogues(tmp_path: Path) -> None:
    dialogue_id = _seed(tmp_path / "c.db", finished_days_ago=100)
    result = run_maatwerk("privacy", "retentie", db=tmp_path / "c.db")
    assert result.returncode == 0, result.stderr
    assert "1 gesloten" in result.stdout
    data = json.loads(run_maatwerk("export", dialogue_id, "--format", "json", db=tmp_path / "c.db").stdout)
    assert data["titel"] == REMOVED
    assert all(not q["antwoorden"] for g in data["groepen"] for q in g["vragen"])
