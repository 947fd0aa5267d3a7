"""The weekly-lessons scheduler loop inside `serve` and `socket`: one pass a minute."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.poster import SlackPoster
from bot.adapters.slack.team_clients import TeamClients
from bot.services.context import AppContext
from bot.services.lessons import LessonDelivery

log = logging.getLogger(__name__)
PASS_INTERVAL_SECONDS = 60


async def weekly_lessons(context: AppContext, client: AsyncWebClient) -> None:
    delivery = LessonDelivery(context, SlackPoster(client, context.store, TeamClients(context, client)))
    while True:
        report = await delivery.tick(datetime.now(UTC))
        if report.sent or report.disabled or report.failed or report.reconciled:
            log.info(
                "weekly lessons: %d sent, %d reconciled, %d channels off, %d to retry",
                len(report.sent),
                len(report.reconciled),
                len(report.disabled),
                len(report.failed),
            )
        await asyncio.sleep(PASS_INTERVAL_SECONDS)


JOBS = (weekly_lessons,)
