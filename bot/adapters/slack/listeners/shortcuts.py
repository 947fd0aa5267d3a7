"""Message shortcut *Zoek signalen*: signals for the text of any message, shown only to you."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import cards
from bot.adapters.slack.ids import CallbackId
from bot.adapters.slack.offload import off_loop
from bot.core.commands import MAX_TEXT_LENGTH, too_long_message
from bot.services.context import AppContext


def register(app: AsyncApp, context: AppContext) -> None:
    @app.shortcut(CallbackId.FIND_SIGNALS.value)
    async def find_signals(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        text = str(body.get("message", {}).get("text") or "")
        channel = body["channel"]["id"]
        user = body["user"]["id"]
        if len(text) > MAX_TEXT_LENGTH:
            await client.chat_postEphemeral(channel=channel, user=user, text=too_long_message(len(text)))
            return
        blocks = await off_loop(cards.signal_blocks, text, await off_loop(context.index.signals, text))
        await client.chat_postEphemeral(channel=channel, user=user, blocks=blocks, text="Signalen bij dit bericht")
