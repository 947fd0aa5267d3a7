"""Buttons: Toon argumenten, Deel in kanaal, and paging through a card."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import cards
from bot.adapters.slack.buttons import EXPIRED_CARD, REFUSAL, CardPage, clicked_value, from_click
from bot.adapters.slack.ids import ActionId, ShareKind
from bot.adapters.slack.offload import off_loop
from bot.adapters.slack.unreachable import CHANNEL_UNREACHABLE
from bot.core import privacy
from bot.core.models import CARD_IDS
from bot.services.context import AppContext

log = logging.getLogger(__name__)
NOT_IN_CHANNEL = (
    "Ik kan hier niets plaatsen omdat ik geen lid ben van dit kanaal. "
    "Nodig me uit met `/invite @maatwerk` en probeer het opnieuw."
)


def _value(body: dict[str, Any]) -> str:
    return str(body["actions"][0].get("value", ""))


def _clean(text: str) -> privacy.Redaction:
    """Button values are redacted when the buttons are built; redacting again here also covers buttons
    of messages posted before that, and values not made by us."""
    return privacy.redact(text, datetime.now(UTC).date())


def _shared_note(text: str) -> str:
    kinds = tuple(kind for kind in privacy.KIND_LABELS if privacy.PLACEHOLDER[kind] in text)
    if not kinds:
        return "Gedeeld in het kanaal."
    return privacy.notice(kinds, done="gedeeld in het kanaal")


def register(app: AsyncApp, context: AppContext) -> None:
    @app.action(ActionId.SHOW_ARGUMENTS.value)
    async def show_arguments(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        text = (await off_loop(_clean, _value(body))).text
        blocks = await off_loop(cards.argument_blocks, text, await off_loop(context.index.arguments, text))
        await respond(blocks=blocks, text="Argumenten voor en tegen", replace_original=False)

    @app.action(ActionId.SHARE.value)
    async def share(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        await ack()
        kind, _, raw = _value(body).partition("|")
        text = (await off_loop(_clean, raw)).text
        user = body["user"]["id"]
        if kind == ShareKind.ARGUMENTS:
            result = await off_loop(context.index.arguments, text)
            blocks = await off_loop(cards.argument_blocks, text, result, shared_by=user)
        else:
            hits = await off_loop(context.index.signals, text)
            blocks = await off_loop(cards.signal_blocks, text, hits, shared_by=user)
        try:
            await client.chat_postMessage(channel=body["channel"]["id"], blocks=blocks, text="Gedeeld uit maatwerk")
        except SlackApiError as error:
            code = error.response.get("error", "")
            log.warning("share failed: %s", code)
            if code in CHANNEL_UNREACHABLE:
                await respond(text=NOT_IN_CHANNEL, replace_original=False)
                return
            raise
        await respond(text=_shared_note(text), replace_original=False)

    @app.action(re.compile(f"^{ActionId.CARD_PAGE}_"))
    async def card_page(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        value = CardPage.load(clicked_value(body))
        click = from_click(body)
        if value is None or value.card not in CARD_IDS:
            await respond(text=EXPIRED_CARD, replace_original=False)
            return
        if not value.posted_in(click):
            log.warning("card page click refused: posted elsewhere")
            await respond(text=REFUSAL, replace_original=False)
            return
        card = context.deck.card(value.card)
        blocks = cards.card_page_blocks(card, value.page, click)
        await respond(blocks=blocks, text=card.title, replace_original=True)
