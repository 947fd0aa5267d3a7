"""`maatwerk digest`: the same anonymous digest on the command line, as text, JSON and a PNG."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.dialogues import ThreadKey
from tests.process import run_maatwerk as maatwerk

IN_NOVEMBER = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
ANSWER = "mevrouw kan de huur niet betalen sinds haar man overleed, zegt de buurman Quirijnsen"


def _hold(db: Path, count: int) -> None:
    context = AppContext.create(Settings(MAATWERK_DB=db))
    service = CasusService(context)
    for number in range(count):
        key = ThreadKey("T1", "C1", f"1700.{number}")
        service.start(key, DialogueKind.CASUS, f"Titel Hoogeveen {number}", f"UAUTHOR{number}", IN_NOVEMBER)
        service.answer(key, f"UAUTHOR{number}", ANSWER, IN_NOVEMBER)
    context.close()


def test_json_counts_the_months_casussen_and_names_nobody(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    _hold(db, 3)
    result = maatwerk("digest", "--kanaal", "C1", "--maand", "2026-11", "--json", db=db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kanaal"] == "C1"
    assert data["maand"] == "2026-11"
    assert data["casussen"] == 3
    assert data["signaalgroepen"]
    assert [entry["maand"] for entry in data["verloop"]][-1] == "2026-11"
    for secret in ("Hoogeveen", "UAUTHOR", "Quirijnsen", "overleed"):
        assert secret not in result.stdout


def test_text_matches_what_the_channel_gets_and_png_is_written(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    _hold(db, 3)
    png = tmp_path / "grafiek.png"
    result = maatwerk("digest", "--kanaal", "C1", "--maand", "2026-11", "--png", str(png), db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Maandoverzicht maatwerkplaats: november 2026")
    assert "3 casussen besproken" in result.stdout
    assert png.read_bytes().startswith(b"\x89PNG")
    assert b"tEXt" not in png.read_bytes()


def test_an_empty_month_is_said_plainly_and_makes_no_chart(tmp_path: Path) -> None:
    png = tmp_path / "grafiek.png"
    result = maatwerk("digest", "--kanaal", "C1", "--maand", "2026-10", "--png", str(png), db=tmp_path / "e.db")
    assert result.returncode == 0, result.stderr
    assert "geen casus besproken" in result.stdout
    assert "geen grafiek" in result.stderr
    assert not png.exists()


def test_a_wrong_month_gets_a_dutch_message(tmp_path: Path) -> None:
    result = maatwerk("digest", "--kanaal", "C1", "--maand", "november", db=tmp_path / "e.db")
    assert result.returncode == 2
    assert "bijvoorbeeld 2026-11" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_channel_is_needed(tmp_path: Path) -> None:
    result = maatwerk("digest", "--maand", "2026-11", db=tmp_path / "e.db")
    assert result.returncode == 2
    assert "--kanaal" in result.stderr


def test_an_unwritable_png_path_gets_a_dutch_message(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    _hold(db, 1)
    target = tmp_path / "bestaat-niet" / "grafiek.png"
    result = maatwerk("digest", "--kanaal", "C1", "--maand", "2026-11", "--png", str(target), db=db)
    assert result.returncode == 1
    assert "Kan de grafiek niet schrijven" in result.stderr
    assert "Traceback" not in result.stderr
