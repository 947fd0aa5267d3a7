"""`/maatwerk mijn` with many casussen: newest first, whole items only, a page at a time, closed ones explained."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey
from tests.slack.conftest import Slack
from tests.slack.standin import StandIn

LONG = "Huurachterstand `met` een lange titel over *schulden* & <zorgen> " * 3


def _start_many(context: AppContext, count: int) -> list[str]:
    """Open casussen of U1, one day apart; returns their ids oldest first."""
    service = CasusService(context)
    now = datetime.now(UTC)
    ids = []
    for n in range(count):
        started_at = now - timedelta(days=count - n, minutes=1)
        key = ThreadKey("T1", "C1", f"1700003000.{n:06d}")
        ids.append(service.start(key, DialogueKind.CASUS, f"{n:02d} {LONG}", "U1", started_at).dialogue.id)
    service.sweep_timeouts(now)  # the ones older than 14 days close
    return ids


def _items(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("• ")]


async def test_many_open_casussen_are_paged_newest_first_never_cut(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    ids = _start_many(app_context, 36)  # 13 stay open (1 to 13 days old), 23 closed by the timeout
    open_ids = ids[-13:]
    await slack.command("mijn", user="U1")
    [first] = await standin.wait_for("response_url")
    sections = [b["text"]["text"] for b in first.blocks() if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in sections)
    listed = _items(first.text())
    assert all(re.search(r"· `c[0-9a-f]+`$", line) for line in listed if "gesloten" not in line)
    newest_ten = list(reversed(open_ids))[:10]
    positions = [first.text().index(i) for i in newest_ten]
    assert positions == sorted(positions)  # the ten newest, newest first
    assert not any(i in first.text() for i in open_ids[:3])
    assert "En nog 3. Typ `/maatwerk mijn 2`" in first.text()
    assert "Gesloten omdat er 14 dagen niets gebeurde" in first.text()
    assert "maatwerk export <id>" in first.text()
    assert "… en nog 18" in first.text()
    await slack.command("mijn 2", user="U1")
    second = (await standin.wait_for("response_url", count=2))[1]
    assert "pagina 2 van 2" in second.text()
    assert [i for i in open_ids[:3] if i in second.text()] == open_ids[:3]
    assert "En nog" not in second.text()
