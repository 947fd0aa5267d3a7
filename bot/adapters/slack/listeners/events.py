"""Events: the App Home tab, and thread replies (answers in a casus thread)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import cards
from bot.adapters.slack.blocks import casus as casus_blocks
from bot.adapters.slack.blocks import lessons as lesson_blocks
from bot.adapters.slack.blocks.common import divider, fit
from bot.adapters.slack.listeners import casus_replies
from bot.adapters.slack.oauth import forget_team
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store import schedules

log = logging.getLogger(__name__)


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

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any]) -> None:
        await _forget(context, str(body.get("team_id") or ""), "app_uninstalled")

    @app.event("tokens_revoked")
    async def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tokens", {}).get("bot"):  # only user tokens revoked: the bot stays
            await _forget(context, str(body.get("team_id") or ""), "tokens_revoked")

    @app.event("message")
    async def message(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        await casus_replies.on_message(context, body, event, client)


async def _forget(context: AppContext, team: str, why: str) -> None:
    """The app left a workspace: its installation goes, its lessons and digests stop (bot.adapters.slack.oauth)."""
    if not team or not context.settings.oauth_enabled:  # one workspace (SLACK_BOT_TOKEN): nothing changes
        return
    removed, stopped = await asyncio.to_thread(forget_team, context, team, datetime.now(UTC))
    log.info("%s for team %s: installation removed=%s, %d schedules stopped", why, team, removed, stopped)
