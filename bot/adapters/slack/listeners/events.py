"""Events: the App Home tab, and thread replies (answers in a casus thread)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import cards
from bot.adapters.slack.blocks import casus as casus_blocks
from bot.adapters.slack.blocks import lessons as lesson_blocks
from bot.adapters.slack.blocks.common import divider, fit
from bot.adapters.slack.listeners import casus_replies
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store import schedules


def register(app: AsyncApp, context: AppContext) -> None:
    @app.event("app_home_opened")
    async def home(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        service = CasusService(context)
        records = service.open_for(user, team=body.get("team_id"))
        closed = service.timed_out_for(user, body.get("team_id"), datetime.now(UTC))
        planned = schedules.schedules_for_team(context.store, str(body.get("team_id") or ""))
        blocks = fit(
            [
                *cards.home_blocks(context.deck),
                divider(),
                *casus_blocks.open_casussen_blocks(records, closed, 1, context.settings.dialogue_timeout_days),
                divider(),
                *lesson_blocks.schedules_blocks(planned),
            ]
        )
        await client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})

    @app.event("message")
    async def message(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        await casus_replies.on_message(context, body, event, client)
