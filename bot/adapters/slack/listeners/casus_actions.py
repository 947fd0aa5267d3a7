"""Buttons of a casus: Overslaan, Vorige, Pauzeer, Verder, Afronden; *Start casus* under signal
results; and the confirmation of `/maatwerk vergeet`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.ids import ActionId
from bot.adapters.slack.subcommands.casus import publish, start_in_channel, tell
from bot.core import texts
from bot.core.dialogue import DialogueKind
from bot.services.casus import Action, CasusService
from bot.services.context import AppContext

BUTTONS: dict[ActionId, Action] = {
    ActionId.CASUS_SKIP: "overslaan",
    ActionId.CASUS_BACK: "vorige",
    ActionId.CASUS_PAUSE: "pauzeer",
    ActionId.CASUS_RESUME: "verder",
    ActionId.CASUS_FINISH: "afronden",
}
TITLE_FROM_SIGNAL_CHARS = 80
ButtonHandler = Callable[[AsyncAck, dict[str, Any], AsyncWebClient], Awaitable[None]]


def _value(body: dict[str, Any]) -> str:
    return str(body["actions"][0].get("value", ""))


def _button(context: AppContext, action: Action) -> ButtonHandler:
    async def handle(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user = str(body["user"]["id"])
        result = CasusService(context).act(_value(body), action, user, datetime.now(UTC))
        if result is None:
            return
        await tell(client, result, user)
        await publish(client, result)

    return handle


def register(app: AsyncApp, context: AppContext) -> None:
    for action_id, action in BUTTONS.items():
        app.action(action_id.value)(_button(context, action))

    @app.action(ActionId.FORGET_CONFIRM.value)
    async def forget(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        count = CasusService(context).forget_user(str(body["user"]["id"]))
        done = texts.count(count, "antwoord", "antwoorden")
        await respond(text=f'Klaar: {done} van jou vervangen door "[verwijderd]".', replace_original=True)

    @app.action(ActionId.START_CASUS.value)
    async def start_from_signals(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        text = " ".join(_value(body).split())
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
