"""The monthly digest in Slack: the poster (message with the delivery key in its metadata, chart in
the thread) and the scheduler loop run inside `serve` and `socket`.

Entry point: `monthly_digest(context, client)`, a job that loops until cancelled (one pass a minute).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks.digest import CHART_COMMENT, CHART_TITLE, digest_blocks, digest_text
from bot.adapters.slack.poster import find_by_key, translate
from bot.adapters.slack.team_clients import TeamClients, TeamGoneError
from bot.services.context import AppContext
from bot.services.digest import DigestDelivery, DigestPrompt
from bot.services.lessons import ChannelGoneError
from bot.store import digests

log = logging.getLogger(__name__)
EVENT_TYPE = "maatwerk_maandoverzicht"
PASS_INTERVAL_SECONDS = 60


class SlackDigestPoster:
    def __init__(self, client: AsyncWebClient, clients: TeamClients | None = None) -> None:
        self.client = client
        self.clients = clients  # many workspaces: each channel's team posts with its own token

    async def _client(self, channel: str) -> AsyncWebClient:
        if self.clients is None:
            return self.client
        record = await asyncio.to_thread(digests.get_channel, self.clients.context.store, channel)
        try:
            return await self.clients.for_team(record.team if record is not None else "")
        except TeamGoneError as gone:
            raise ChannelGoneError(str(gone)) from gone

    async def post(self, prompt: DigestPrompt) -> str:
        client = await self._client(prompt.channel)
        try:
            response = await client.chat_postMessage(
                channel=prompt.channel,
                text=digest_text(prompt.digest),
                blocks=digest_blocks(prompt.digest),
                metadata={"event_type": EVENT_TYPE, "event_payload": {"key": prompt.key}},
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            raise translate(error) from error
        return str(response["ts"])

    async def attach_chart(self, prompt: DigestPrompt, ts: str) -> None:
        if prompt.chart is None:
            return
        client = await self._client(prompt.channel)
        try:
            await client.files_upload_v2(
                channel=prompt.channel,
                thread_ts=ts,
                content=prompt.chart,
                filename=f"maandoverzicht-{prompt.digest.month}.png",
                title=CHART_TITLE,
                initial_comment=CHART_COMMENT,
            )
        except SlackApiError as error:
            raise translate(error) from error

    async def find(self, prompt: DigestPrompt, since: datetime) -> str | None:
        return await find_by_key(await self._client(prompt.channel), prompt.channel, EVENT_TYPE, prompt.key, since)


async def monthly_digest(context: AppContext, client: AsyncWebClient) -> None:
    delivery = DigestDelivery(context, SlackDigestPoster(client, TeamClients(context, client)))
    while True:
        report = await delivery.tick(datetime.now(UTC))
        if report.sent or report.disabled or report.failed or report.reconciled:
            log.info(
                "monthly digest: %d sent, %d reconciled, %d channels off, %d to retry",
                len(report.sent),
                len(report.reconciled),
                len(report.disabled),
                len(report.failed),
            )
        await asyncio.sleep(PASS_INTERVAL_SECONDS)


JOBS = (monthly_digest,)
