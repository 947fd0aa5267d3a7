"""casus, beleid, mijn, vergeet: a vragenkaart dialogue in a thread, and your own data.

`/maatwerk casus <titel>` posts a root message and the first question in its thread (through
bot.adapters.slack.casus_presenter, which also posts every later step from the outbox).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.adapters.slack.blocks import casus as blocks
from bot.adapters.slack.casus_presenter import start_in_channel
from bot.adapters.slack.subcommands import CommandRequest, Handler
from bot.core import texts
from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService

VOOR_FLAG = "--voor"


async def _start(request: CommandRequest, kind: DialogueKind) -> None:
    text = request.command.text.strip()
    voor = kind is DialogueKind.CASUS and text.startswith(VOOR_FLAG)
    title = text.removeprefix(VOOR_FLAG).strip() if voor else text
    if not title:
        await request.respond(text=texts.CASUS_NEEDS_TITLE)
        return
    await start_in_channel(
        request.app,
        request.client,
        request.respond,
        kind,
        title,
        user=request.user_id,
        channel=request.channel_id,
        team=request.team_id,
        voor=voor,
    )


async def casus(request: CommandRequest) -> None:
    await _start(request, DialogueKind.CASUS)


async def beleid(request: CommandRequest) -> None:
    await _start(request, DialogueKind.BELEID)


async def mijn(request: CommandRequest) -> None:
    service = CasusService(request.app)
    now = datetime.now(UTC)
    records = await asyncio.to_thread(service.open_for, request.user_id, request.team_id)
    closed = await asyncio.to_thread(service.timed_out_for, request.user_id, request.team_id, now)
    page = int(request.command.text) if request.command.text.strip().isdigit() else 1
    days = request.app.settings.dialogue_timeout_days
    await request.respond(blocks=blocks.open_casussen_blocks(records, closed, page, days), text="Je open casussen")


async def vergeet(request: CommandRequest) -> None:
    await request.respond(blocks=blocks.forget_confirm_blocks(), text="Je antwoorden vergeten?")


HANDLERS: dict[str, Handler] = {
    "casus": casus,
    "beleid": beleid,
    "mijn": mijn,
    "vergeet": vergeet,
}
