"""The Slack summary of a 45-answer casus: every answer whole, no section over Slack's 3,000 characters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.slack.blocks.casus import summary_blocks
from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.dialogues import ThreadKey


def test_long_answers_continue_in_a_next_section_instead_of_being_cut(
    tmp_path: Path, make_context: Callable[[Settings], AppContext]
) -> None:
    context = make_context(Settings(db_path=tmp_path / "b.db"))
    service = CasusService(context)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    key = ThreadKey("T1", "C1", "1700005000.000001")
    started = service.start(key, DialogueKind.CASUS, "Veel", "U1", now, voor=True)
    for number in range(45):
        service.answer(key, "U1", f"antwoord-{number:02d} " + "kosten & baten " * 25, now)
    service.act(started.dialogue.id, "afronden", "U1", now)
    summary = service.summary(started.dialogue.id)
    context.close()
    assert summary is not None
    blocks = summary_blocks(summary)
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(blocks) <= 50
    assert all(len(text) <= 3000 for text in texts)
    joined = "\n".join(texts)
    for number in range(45):
        assert f"antwoord-{number:02d}" in joined
    answer_lines = [line for line in joined.splitlines() if line.startswith("• _V-U")]
    assert len(answer_lines) == 45
    assert all(line.endswith("baten") or line.endswith("…") for line in answer_lines)
