"""Events: the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import cards
from bot.services.context import AppContext


def register(app: AsyncApp, context: AppContext) -> None:
    @app.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        await client.views_publish(
            user_id=event["user"], view={"type": "home", "blocks": cards.home_blocks(context.deck)}
        )
