"""The monthly digest as an application service: build it for a channel and month, and deliver it once.

`DigestService.build` gathers the month's casus dialogues in the channel, takes only the card
references from their summaries (bot.core.digest.facts_from_summary), the lessons posted, and the
counts of the months before it (kept in the store, since answers are purged after the retention
period), and aggregates them in core.

`DigestDelivery.tick` is one scheduler pass, the weekly-lessons design month by month: take over
claims that were never marked sent and reconcile them against Slack (a message carrying the delivery
key), then for every opted-in channel whose moment has passed, claim the month in the database
*before* posting, post, upload the chart in the thread, and record Slack's ts. A channel where the bot
is gone is switched off with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.digest import (
    CaseFacts,
    Digest,
    MonthCounts,
    build_digest,
    due_month,
    facts_from_summary,
    month_bounds,
)
from bot.core.digest import month_counts as count_month
from bot.core.digest import recent_months as months_up_to
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.services.digest_chart import render_chart
from bot.services.lessons import ChannelGoneError, PostFailedError
from bot.store import digests
from bot.store.digests import DigestClaim

log = logging.getLogger(__name__)
CONCURRENCY = 8
# How far back to look for a post that went out before a crash (claims are taken over after minutes;
# a generous window also covers a process that was down for days).
RECONCILE_WINDOW = timedelta(days=35)


@dataclass(frozen=True)
class DigestPrompt:
    channel: str
    digest: Digest
    chart: bytes | None

    @property
    def key(self) -> str:
        """The delivery key carried in the message, to recognise it when reconciling."""
        return f"{self.channel}:{self.digest.month}"


class DigestPoster(Protocol):
    async def post(self, prompt: DigestPrompt) -> str:
        """Post the digest; return the message ts. Raise ChannelGoneError or PostFailedError."""
        ...

    async def attach_chart(self, prompt: DigestPrompt, ts: str) -> None:
        """Upload the chart in the digest's thread. Raise ChannelGoneError or PostFailedError."""
        ...

    async def find(self, prompt: DigestPrompt, since: datetime) -> str | None:
        """The ts of an earlier post of this digest since `since`, if it went out after all."""
        ...


class DigestService:
    def __init__(self, context: AppContext) -> None:
        self.context = context
        self.casus = CasusService(context)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.context.settings.timezone)

    def _cases(self, channel: str, month: str) -> list[CaseFacts]:
        start, end = month_bounds(month, self.zone)
        facts: list[CaseFacts] = []
        for dialogue_id in digests.casus_ids(self.context.store, channel, start, end):
            summary = self.casus.summary(dialogue_id)
            if summary is not None:
                facts.append(facts_from_summary(summary))
        return facts

    def _earlier(self, channel: str, month: str) -> list[MonthCounts]:
        earlier = months_up_to(month)[:-1]
        saved = digests.saved_counts(self.context.store, channel, earlier)
        return [saved.get(key) or count_month(key, self._cases(channel, key)) for key in earlier]

    def build(self, channel: str, month: str) -> Digest:
        start, end = month_bounds(month, self.zone)
        lessons = digests.lessons_posted(self.context.store, channel, start, end)
        return build_digest(
            self.context.deck, month, self._cases(channel, month), lessons, self._earlier(channel, month)
        )

    async def prompt(self, channel: str, month: str) -> DigestPrompt:
        """The digest and (when there were casussen) its chart, as posted. Both are built in a worker thread
        (summaries of a month of casussen and the chart take hundreds of milliseconds), so the event loop
        keeps answering Slack meanwhile."""
        digest = await asyncio.to_thread(self.build, channel, month)
        chart = None if digest.empty else await asyncio.to_thread(render_chart, digest)
        return DigestPrompt(channel, digest, chart)


@dataclass
class DigestReport:
    sent: list[DigestPrompt] = field(default_factory=list)
    reconciled: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class DigestDelivery:
    def __init__(self, context: AppContext, poster: DigestPoster, concurrency: int = CONCURRENCY) -> None:
        self.context = context
        self.poster = poster
        self.service = DigestService(context)
        self.limit = asyncio.Semaphore(concurrency)

    def _claim_due(self, channel: digests.DigestChannel, now: datetime) -> DigestClaim | None:
        store = self.context.store
        due = due_month(now, channel.enabled_at, digests.months_delivered(store, channel.channel), self.service.zone)
        if due is None:
            return None
        return digests.claim(store, channel.channel, due.month, now)

    async def tick(self, now: datetime) -> DigestReport:
        report = DigestReport()
        store = self.context.store
        stale = digests.take_over_stale_claims(store, now)
        fresh = [
            claim for channel in digests.enabled_channels(store) if (claim := self._claim_due(channel, now)) is not None
        ]
        await asyncio.gather(*(self._deliver(claim, now, report) for claim in [*stale, *fresh]))
        return report

    async def _deliver(self, claim: DigestClaim, now: datetime, report: DigestReport) -> None:
        store = self.context.store
        async with self.limit:
            prompt = await self.service.prompt(claim.channel, claim.month)
            try:
                if claim.retried:
                    earlier = await self.poster.find(prompt, now - RECONCILE_WINDOW)
                    if earlier is not None:
                        if digests.mark_sent(store, claim, earlier, now):
                            digests.save_counts(store, claim.channel, prompt.digest.counts)
                        report.reconciled.append(claim.channel)
                        return
                ts = await self.poster.post(prompt)
            except ChannelGoneError as gone:
                self._gone(claim, gone.reason, now, report)
                return
            except PostFailedError as failure:
                digests.release(store, claim)
                log.warning("digest for channel %s not posted, retry next pass: %s", claim.channel, failure)
                report.failed.append(claim.channel)
                return
            # The post is out: record it first, so a failing upload can never lead to a second digest.
            if not digests.mark_sent(store, claim, ts, now):
                return
            digests.save_counts(store, claim.channel, prompt.digest.counts)
            report.sent.append(prompt)
            if prompt.chart is not None:
                try:
                    await self.poster.attach_chart(prompt, ts)
                except (ChannelGoneError, PostFailedError) as failure:
                    log.warning("digest chart for channel %s not uploaded: %s", claim.channel, failure)

    def _gone(self, claim: DigestClaim, reason: str, now: datetime, report: DigestReport) -> None:
        digests.release(self.context.store, claim)
        if digests.disable(self.context.store, claim.channel, reason, now):
            log.warning("monthly digest switched off for channel %s: %s", claim.channel, reason)
        report.disabled.append(claim.channel)
