"""`mijn` and starting a dialogue in `maatwerk shell`: newest first, closed ones explained, the right example."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core import texts
from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.dialogues import ThreadKey
from tests.process import run_maatwerk


def shell(db: Path, *lines: str) -> str:
    result = run_maatwerk("shell", stdin="\n".join(lines) + "\n", db=db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_beleid_without_a_subject_gives_the_beleid_example(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "beleid")
    assert "beleid kwijtschelding" in out
    assert "casus Huurachterstand" not in out


def test_starting_a_casus_shows_the_privacy_hint(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "casus Huur")
    assert texts.CASUS_PRIVACY_HINT in out


def test_mijn_lists_newest_first_and_explains_a_casus_closed_by_the_timeout(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    context = AppContext.create(Settings(MAATWERK_DB=db))
    service = CasusService(context)
    now = datetime.now(UTC)
    stale = service.start(
        ThreadKey("T-terminal", "terminal", "1"), DialogueKind.CASUS, "Oud", "terminal", now - timedelta(days=20)
    )
    service.start(
        ThreadKey("T-terminal", "terminal", "2"), DialogueKind.CASUS, "Eerder", "terminal", now - timedelta(days=2)
    )
    service.start(ThreadKey("T-terminal", "terminal", "3"), DialogueKind.BELEID, "Nieuwst", "terminal", now)
    context.close()
    out = shell(db, "mijn")
    assert out.index("Nieuwst") < out.index("Eerder")
    assert "Gesloten omdat er 14 dagen niets gebeurde" in out
    closed_part = out.split("Gesloten omdat")[1]
    assert stale.dialogue.id in closed_part
    assert "maatwerk export <id>" in closed_part
