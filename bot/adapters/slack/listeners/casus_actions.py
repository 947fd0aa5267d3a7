"""Buttons of a casus: Overslaan, Vorige, Pauzeer, Verder, Afronden; *Start casus* under signal
results; and the confirmation of `/maatwerk vergeet`.

A casus button acts only on a dialogue of the same team, channel and thread it was posted in; anything
else gets an ephemeral Dutch refusal and changes nothing. The step, its delivery key and its outbox
entries are committed in one transaction before the button is acknowledged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import cards
from bot.adapters.slack.casus_presenter import kick, start_in_channel, tell_later
from bot.adapters.slack.delivery import delivery_key
from bot.adapters.slack.ids import ActionId
from bot.core import texts
from bot.core.dialogue import DialogueKind
from bot.services.casus import Action, CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey

BUTTONS: dict[ActionId, Action] = {
    ActionId.CASUS_SKIP: "overslaan",
    ActionId.CASUS_BACK: "vorige",
    ActionId.CASUS_PAUSE: "pauzeer",
    ActionId.CASUS_RESUME: "verder",
    ActionId.CASUS_FINISH: "afronden",
}
NOT_THIS_THREAD = "Deze knop hoort niet bij een casus in deze draad; er is niets veranderd."
TITLE_FROM_SIGNAL_CHARS = 80
ButtonHandler = Callable[[AsyncAck, dict[str, Any], AsyncRespond, AsyncWebClient], Awaitable[None]]


def _value(body: dict[str, Any]) -> str:
    return str(body["actions"][0].get("value", ""))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def posted_in(body: dict[str, Any]) -> ThreadKey:
    """Where the clicked message lives: team, channel and the thread it was posted in."""
    container, message = _dict(body.get("container")), _dict(body.get("message"))
    thread = container.get("thread_ts") or message.get("thread_ts") or ""
    team = _dict(body.get("team")).get("id") or _dict(body.get("user")).get("team_id") or ""
    channel = _dict(body.get("channel")).get("id") or container.get("channel_id") or ""
    return ThreadKey(str(team), str(channel), str(thread))


def _button(context: AppContext, action: Action) -> ButtonHandler:
    async def handle(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        user = str(body["user"]["id"])
        service = CasusService(context)
        record = await asyncio.to_thread(service.get, _value(body))
        if record is None or record.key != posted_in(body):
            await ack()
            await respond(text=NOT_THIS_THREAD, response_type="ephemeral", replace_original=False)
            return
        result = await asyncio.to_thread(
            service.act, record.id, action, user, datetime.now(UTC), delivery=delivery_key(body), post=True
        )
        await ack()  # only now: the step is committed
        if result is None or result.duplicate:
            return
        kick()
        tell_later(client, result, user)

    return handle


def register(app: AsyncApp, context: AppContext) -> None:
    for action_id, action in BUTTONS.items():
        app.action(action_id.value)(_button(context, action))

    @app.action(ActionId.FORGET_CONFIRM.value)
    async def forget(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        count = await asyncio.to_thread(CasusService(context).forget_user, str(body["user"]["id"]))
        done = texts.count(count, "antwoord", "antwoorden")
        await respond(text=f'Klaar: {done} van jou vervangen door "[verwijderd]".', replace_original=True)

    @app.action(ActionId.START_CASUS.value)
    async def start_from_signals(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        text = " ".join(cards.button_text(_value(body)).split())  # also for buttons posted before redaction
        title = text if len(text) <= TITLE_FROM_SIGNAL_CHARS else text[: TITLE_FROM_SIGNAL_CHARS - 1] + "…"
        await start_in_channel(
            context,
            client,
            respond,
            DialogueKind.CASUS,
            title,
            user=str(body["user"]["id"]),
            channel=str(body["channel"]["id"]),
            team=str(body.get("team", {}).get("id") or ""),
        )
