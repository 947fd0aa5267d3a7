"""Weekly lessons delivery: one scheduler pass (`tick`) shared by the CLI and the loop in serve/socket.

Per pass: take over claims that were never marked sent (crash between claim and send) and reconcile
them against what Slack has (a message carrying the delivery key), then for every enabled channel whose
moment has passed, claim the week in the database *before* posting, post, and record Slack's ts.
Posts to different channels run side by side (bounded), so one slow or rate-limited channel does not
hold up the rest; a channel where the bot is gone is switched off with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.lessons import lessons_for
from bot.core.models import CardItem
from bot.core.schedule import ChannelSchedule, due, next_lesson
from bot.services.context import AppContext
from bot.store import schedules
from bot.store.schedules import Claim

log = logging.getLogger(__name__)
CONCURRENCY = 16
# How far back to look for a post that went out before a crash (a claim is at most a week old).
RECONCILE_WINDOW = timedelta(days=8)


class ChannelGoneError(Exception):
    """The bot can no longer post in the channel (removed, archived, channel deleted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PostFailedError(Exception):
    """The post did not go out this time (rate limit after retries, network); try again next pass."""


@dataclass(frozen=True)
class LessonPrompt:
    channel: str
    week: str
    lesson: CardItem

    @property
    def key(self) -> str:
        """The delivery key carried in the message, to recognise it when reconciling."""
        return f"{self.channel}:{self.week}"


class Poster(Protocol):
    async def post(self, prompt: LessonPrompt) -> str:
        """Post the prompt; return the message ts. Raise ChannelGoneError or PostFailedError."""
        ...

    async def find(self, prompt: LessonPrompt, since: datetime) -> str | None:
        """The ts of an earlier post of this prompt since `since`, if it went out after all."""
        ...


@dataclass
class TickReport:
    sent: list[LessonPrompt] = field(default_factory=list)
    reconciled: list[LessonPrompt] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class LessonDelivery:
    def __init__(self, context: AppContext, poster: Poster, concurrency: int = CONCURRENCY) -> None:
        self.context = context
        self.poster = poster
        self.limit = asyncio.Semaphore(concurrency)

    def _prompt(self, claim: Claim) -> LessonPrompt:
        return LessonPrompt(claim.channel, claim.week, self.context.deck.item(claim.lesson_id))

    def _claim_due(self, schedule: ChannelSchedule, enabled_at: datetime, now: datetime) -> Claim | None:
        store = self.context.store
        delivery = due(schedule, now, enabled_at, schedules.weeks_delivered(store, schedule.channel))
        if delivery is None:
            return None
        lesson_ids = [item.id for item in lessons_for(self.context.deck, schedule.audience)]
        round_number, lesson_id = next_lesson(schedule.channel, lesson_ids, schedules.history(store, schedule.channel))
        return schedules.claim(store, schedule.channel, delivery.week, lesson_id, round_number, now)

    async def tick(self, now: datetime) -> TickReport:
        report = TickReport()
        store = self.context.store
        stale = schedules.take_over_stale_claims(store, now)
        fresh = [
            claim
            for record in schedules.enabled_schedules(store)
            if (claim := self._claim_due(record.schedule, record.enabled_at, now)) is not None
        ]
        await asyncio.gather(
            *(self._deliver(claim, now, report) for claim in [*stale, *fresh]),
        )
        return report

    async def _deliver(self, claim: Claim, now: datetime, report: TickReport) -> None:
        store = self.context.store
        prompt = self._prompt(claim)
        async with self.limit:
            try:
                if claim.retried:
                    earlier = await self.poster.find(prompt, now - RECONCILE_WINDOW)
                    if earlier is not None:
                        schedules.mark_sent(store, claim, earlier, now)
                        report.reconciled.append(prompt)
                        return
                ts = await self.poster.post(prompt)
            except ChannelGoneError as gone:
                schedules.release(store, claim)
                if schedules.disable(store, claim.channel, gone.reason, now):
                    log.warning("weekly lessons switched off for channel %s: %s", claim.channel, gone.reason)
                report.disabled.append(claim.channel)
                return
            except PostFailedError as failure:
                schedules.release(store, claim)
                log.warning("lesson for channel %s not posted, retry next pass: %s", claim.channel, failure)
                report.failed.append(claim.channel)
                return
        if schedules.mark_sent(store, claim, ts, now):
            report.sent.append(prompt)
