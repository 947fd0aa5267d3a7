"""Posting weekly lessons to Slack: chat.postMessage with the delivery key in message metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import lessons
from bot.adapters.slack.buttons import Origin
from bot.adapters.slack.subcommands import registered
from bot.adapters.slack.team_clients import TeamClients, TeamGoneError
from bot.adapters.slack.unreachable import BOT_UNREACHABLE, CHANNEL_UNREACHABLE
from bot.services.lessons import ChannelGoneError, LessonPrompt, PostFailedError
from bot.store import schedules
from bot.store.contracts import StoreBackend

EVENT_TYPE = "maatwerk_les"
GONE = CHANNEL_UNREACHABLE | BOT_UNREACHABLE


class SlackPoster:
    def __init__(
        self, client: AsyncWebClient, store: StoreBackend | None = None, clients: TeamClients | None = None
    ) -> None:
        self.client = client
        self.store = store  # to put the channel's team into the lesson's button value
        self.clients = clients  # many workspaces: each channel's team posts with its own token

    def _origin(self, channel: str) -> Origin:
        record = schedules.get_schedule(self.store, channel) if self.store is not None else None
        return Origin(team=record.schedule.team if record else "", channel=channel)

    async def _client(self, channel: str) -> AsyncWebClient:
        if self.clients is None:
            return self.client
        try:
            return await self.clients.for_team(self._origin(channel).team)
        except TeamGoneError as gone:
            raise ChannelGoneError(str(gone)) from gone

    async def post(self, prompt: LessonPrompt) -> str:
        client = await self._client(prompt.channel)
        try:
            response = await client.chat_postMessage(
                channel=prompt.channel,
                text=lessons.prompt_text(prompt.lesson),
                blocks=lessons.prompt_blocks(
                    prompt.lesson, can_start_casus=registered("casus"), origin=self._origin(prompt.channel)
                ),
                metadata={"event_type": EVENT_TYPE, "event_payload": {"key": prompt.key}},
                unfurl_links=False,
            )
        except SlackApiError as error:
            raise translate(error) from error
        return str(response["ts"])

    async def find(self, prompt: LessonPrompt, since: datetime) -> str | None:
        return await find_by_key(await self._client(prompt.channel), prompt.channel, EVENT_TYPE, prompt.key, since)


async def find_by_key(
    client: AsyncWebClient, channel: str, event_type: str, key: str, since: datetime
) -> str | None:
    """The ts of a message posted in `channel` since `since` that carries `key` in its metadata, or None:
    how a scheduled post (weekly lesson, monthly digest) whose claim outlived a crash is reconciled."""
    try:
        response = await client.conversations_history(
            channel=channel, oldest=f"{since.timestamp():.6f}", include_all_metadata=True, limit=200
        )
    except SlackApiError as error:
        raise translate(error) from error
    messages: list[dict[str, Any]] = response.get("messages") or []
    for message in messages:
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == event_type and metadata.get("event_payload", {}).get("key") == key:
            return str(message["ts"])
    return None


def translate(error: SlackApiError) -> Exception:
    """A Slack error as the delivery services understand it: the channel is gone, or try again later."""
    code = str(error.response.get("error", ""))
    if code in GONE:
        return ChannelGoneError(code)
    return PostFailedError(code or "onbekende fout")
