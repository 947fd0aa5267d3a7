"""The Web API client to use for one team's posts from background jobs (outbox, lessons, digest).

One workspace (SLACK_BOT_TOKEN): always the one client, nothing is looked up. Many workspaces (OAuth):
a client with that team's bot token from its installation (bot.store.installations), made once per token;
a team without an installation (uninstalled, token revoked) raises TeamGoneError, so nothing is posted.
"""

from __future__ import annotations

import asyncio

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.oauth import token_cipher
from bot.services.context import AppContext
from bot.store import installations

RATE_LIMIT_RETRIES = 3
TEAM_GONE = "app_uninstalled"


class TeamGoneError(Exception):
    """The team has no installation (any more): there is no token to post with."""


class TeamClients:
    def __init__(self, context: AppContext, client: AsyncWebClient) -> None:
        self.context = context
        self.client = client
        self._clients: dict[str, AsyncWebClient] = {}

    async def for_team(self, team: str) -> AsyncWebClient:
        if not self.context.settings.oauth_enabled:
            return self.client
        record = (
            await asyncio.to_thread(installations.find, self.context.store, token_cipher(self.context), team)
            if team
            else None
        )
        if record is None:
            raise TeamGoneError(TEAM_GONE)
        cached = self._clients.get(team)
        if cached is not None and cached.token == record.bot_token:
            return cached
        client = AsyncWebClient(token=record.bot_token, base_url=self.client.base_url)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
        self._clients[team] = client
        return client

    async def for_dialogue(self, dialogue_id: str) -> AsyncWebClient:
        if not self.context.settings.oauth_enabled:
            return self.client
        record = await asyncio.to_thread(self.context.store.dialogues().get, dialogue_id)
        return await self.for_team(record.key.team if record is not None else "")
