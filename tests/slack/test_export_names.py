"""`maatwerk export --namen` names people as the Slack upload does: display names from users.info."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime

from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey
from tests.slack.conftest import BOT_TOKEN, REPO
from tests.slack.standin import StandIn


async def _maatwerk(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return int(process.returncode or 0), out.decode(), err.decode()


async def test_export_with_namen_uses_slack_display_names(standin: StandIn, app_context: AppContext) -> None:
    standin.users["U1"] = {"profile": {"display_name": "Fatima de Vries"}}
    service = CasusService(app_context)
    now = datetime.now(UTC)
    started = service.start(ThreadKey("T1", "C1", "1700004000.000001"), DialogueKind.CASUS, "Huur", "U1", now)
    service.answer(started.dialogue.key, "U1", "zij belde zelf", now)
    service.answer(started.dialogue.key, "U2", "ik ken haar dossier", now)
    env = {"MAATWERK_DB": str(app_context.settings.db_path), "SLACK_API_URL": standin.base_url}
    code, out, err = await _maatwerk("export", started.dialogue.id, "--namen", env=env | {"SLACK_BOT_TOKEN": BOT_TOKEN})
    assert code == 0, err
    assert "- Fatima de Vries: zij belde zelf" in out
    assert "- U2: ik ken haar dossier" in out
    assert "- Deelnemers: Fatima de Vries, U2" in out
    code, out, err = await _maatwerk("export", started.dialogue.id, env=env)
    assert code == 0, err
    assert "- U1: zij belde zelf" in out
    code, out, err = await _maatwerk("export", started.dialogue.id, "--namen", env=env | {"SLACK_BOT_TOKEN": ""})
    assert code == 2
    assert "Voor --namen is SLACK_BOT_TOKEN nodig" in err
