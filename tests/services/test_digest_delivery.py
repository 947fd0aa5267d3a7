"""The monthly digest delivery: exactly once per channel and month, whatever crashes or runs twice;
built from real casus dialogues held in the channel that month."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.services.digest import DigestDelivery, DigestPrompt, DigestService
from bot.settings import Settings
from bot.store import digests
from bot.store.dialogues import ThreadKey
from bot.store.digests import DigestClaim
from tests.services import posters

MOMENT = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # maandag 2 november 2026 09:00 CET: October's digest
OPTED_IN = datetime(2026, 9, 1, tzinfo=UTC)
IN_OCTOBER = datetime(2026, 10, 14, 10, 0, tzinfo=UTC)
ANSWERS = (
    "mevrouw kan de huur niet betalen sinds haar man overleed",
    "de schulden lopen op en de deurwaarder staat voor de deur",
    "de inwoner is boos en dient een klacht in over de gemeente",
)


class RecordingPoster(posters.RecordingPoster[DigestPrompt]):
    """The digest's poster, recording; it keeps the charts too."""

    def __init__(self, gone: set[str] | None = None, fail_first: int = 0) -> None:
        super().__init__(gone, fail_first)
        self.charts: list[tuple[str, str, bytes]] = []

    async def attach_chart(self, prompt: DigestPrompt, ts: str) -> None:
        assert prompt.chart is not None
        with self.lock:
            self.charts.append((prompt.channel, ts, prompt.chart))


def context_for(path: Path) -> AppContext:
    return AppContext.create(Settings(MAATWERK_DB=path))


def opt_in(context: AppContext, *channels: str) -> None:
    for channel in channels:
        digests.enable(context.store, "T1", channel, "UADMIN", OPTED_IN)


def hold_casussen(context: AppContext, channel: str, count: int, at: datetime = IN_OCTOBER) -> None:
    service = CasusService(context)
    for number in range(count):
        key = ThreadKey("T1", channel, f"{at.timestamp():.0f}.{number:06d}")
        started = service.start(key, DialogueKind.CASUS, f"Casus {number}", "U1", at)
        service.answer(key, "U2", ANSWERS[number % len(ANSWERS)], at)
        service.act(started.dialogue.id, "afronden", "U1", at)


async def test_a_due_channel_gets_one_digest_with_its_chart_and_a_second_pass_posts_nothing(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1")
    hold_casussen(context, "C1", 3)
    poster = RecordingPoster()
    delivery = DigestDelivery(context, poster)
    first = await delivery.tick(MOMENT)
    second = await delivery.tick(MOMENT + timedelta(minutes=1))
    assert [p.channel for p in first.sent] == ["C1"]
    assert second.sent == []
    prompt, ts = poster.posts[0]
    assert prompt.digest.month == "2026-10"
    assert prompt.digest.casussen == 3
    assert [(channel, chart_ts) for channel, chart_ts, _ in poster.charts] == [("C1", ts)]
    assert poster.charts[0][2].startswith(b"\x89PNG")
    assert digests.sent_ts(context.store, "C1", "2026-10") == ts


async def test_only_the_channels_own_casussen_of_that_month_count(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    hold_casussen(context, "C1", 2)
    hold_casussen(context, "C2", 4)  # another channel
    hold_casussen(context, "C1", 5, at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC))  # November, not October
    hold_casussen(context, "C1", 1, at=datetime(2026, 9, 30, 21, 59, tzinfo=UTC))  # 23:59 on 30 September
    digest = DigestService(context).build("C1", "2026-10")
    assert digest.casussen == 2
    assert digest.signal_groups[-1].label == "overig"
    assert all(t.label == "overig" for t in digest.signal_groups)  # two casussen: nothing shown by name


async def test_a_month_without_casussen_is_posted_without_a_chart(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1")
    poster = RecordingPoster()
    report = await DigestDelivery(context, poster).tick(MOMENT)
    assert report.sent[0].digest.empty
    assert report.sent[0].chart is None
    assert poster.charts == []


async def test_the_month_counts_are_kept_for_the_chart_after_the_answers_are_purged(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1")
    hold_casussen(context, "C1", 3)
    await DigestDelivery(context, RecordingPoster()).tick(MOMENT)
    october = DigestService(context).build("C1", "2026-10").signal_groups
    CasusService(context).dialogues.purge_closed_before(datetime(2027, 1, 1, tzinfo=UTC), MOMENT)
    history = DigestService(context).build("C1", "2026-11").history
    assert history[-2].month == "2026-10"
    assert history[-2].groups == october
    assert history[-2].casussen == 3


def _tick_in_thread(path: Path, poster: RecordingPoster, barrier: threading.Barrier) -> None:
    context = context_for(path)
    barrier.wait()
    asyncio.run(DigestDelivery(context, poster).tick(MOMENT))
    context.close()


def test_two_instances_ticking_one_database_at_once_post_once_per_channel(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    setup = context_for(path)
    channels = [f"C{n}" for n in range(12)]
    opt_in(setup, *channels)
    hold_casussen(setup, "C0", 3)
    setup.close()
    poster = RecordingPoster()
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_tick_in_thread, args=(path, poster, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(poster.posts) == len(channels)
    assert all(poster.count(channel) == 1 for channel in channels)
    assert len(poster.charts) == 1


async def _claimed_but_not_sent(tmp_path: Path) -> tuple[AppContext, RecordingPoster, DigestDelivery, DigestClaim]:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1")
    hold_casussen(context, "C1", 3)
    poster = RecordingPoster()
    delivery = DigestDelivery(context, poster)
    channel = digests.get_channel(context.store, "C1")
    assert channel is not None
    claim = delivery._claim_due(channel, MOMENT)
    assert claim is not None
    return context, poster, delivery, claim


async def test_crash_after_the_post_is_reconciled_not_sent_twice(tmp_path: Path) -> None:
    context, poster, delivery, claim = await _claimed_but_not_sent(tmp_path)
    # The process claimed and posted, then died before recording the ts.
    ts = await poster.post(await delivery.service.prompt(claim.channel, claim.month))
    restarted = DigestDelivery(context, poster)
    later = await restarted.tick(MOMENT + digests.CLAIM_TIMEOUT + timedelta(minutes=1))
    assert later.reconciled == ["C1"]
    assert poster.count("C1") == 1
    assert digests.sent_ts(context.store, "C1", "2026-10") == ts
    await restarted.tick(MOMENT + timedelta(days=3))
    assert poster.count("C1") == 1


async def test_crash_before_the_post_is_retried_after_the_lease_and_never_lost(tmp_path: Path) -> None:
    _context, poster, delivery, _claim = await _claimed_but_not_sent(tmp_path)
    # The process claimed, then died before posting.
    soon = await delivery.tick(MOMENT + timedelta(minutes=1))
    assert soon.sent == []  # the claim is fresh: another instance may still be posting it
    later = await delivery.tick(MOMENT + digests.CLAIM_TIMEOUT + timedelta(minutes=1))
    assert [p.channel for p in later.sent] == ["C1"]
    assert poster.count("C1") == 1
    assert len(poster.charts) == 1


async def test_channel_without_the_bot_is_switched_off_and_not_retried(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1", "CGONE")
    poster = RecordingPoster(gone={"CGONE"})
    delivery = DigestDelivery(context, poster)
    report = await delivery.tick(MOMENT)
    assert report.disabled == ["CGONE"]
    record = digests.get_channel(context.store, "CGONE")
    assert record is not None
    assert not record.enabled
    assert record.disabled_reason == "not_in_channel"
    await delivery.tick(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # November's digest
    assert poster.count("CGONE") == 0
    assert poster.count("C1") == 2


async def test_failed_post_gives_the_claim_back_for_the_next_pass(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1")
    poster = RecordingPoster(fail_first=1)
    delivery = DigestDelivery(context, poster)
    first = await delivery.tick(MOMENT)
    second = await delivery.tick(MOMENT + timedelta(minutes=1))
    assert first.failed == ["C1"]
    assert [p.channel for p in second.sent] == ["C1"]
    assert poster.count("C1") == 1


async def test_after_downtime_a_channel_catches_up_once(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    opt_in(context, "C1")
    poster = RecordingPoster()
    delivery = DigestDelivery(context, poster)
    await delivery.tick(datetime(2026, 12, 9, 12, 0, tzinfo=UTC))  # down since October
    await delivery.tick(datetime(2026, 12, 9, 12, 1, tzinfo=UTC))
    assert [prompt.digest.month for prompt, _ in poster.posts] == ["2026-11"]


def test_switching_on_twice_keeps_the_first_moment_and_off_then_on_starts_anew(tmp_path: Path) -> None:
    context = context_for(tmp_path / "d.db")
    assert digests.enable(context.store, "T1", "C1", "UADMIN", OPTED_IN)
    assert not digests.enable(context.store, "T1", "C1", "UOTHER", MOMENT)
    record = digests.get_channel(context.store, "C1")
    assert record is not None
    assert (record.configured_by, record.enabled_at) == ("UADMIN", OPTED_IN)
    assert digests.disable(context.store, "C1", "uitgezet", MOMENT)
    assert not digests.disable(context.store, "C1", "uitgezet", MOMENT)
    assert digests.enable(context.store, "T1", "C1", "UOTHER", MOMENT)
    assert [c.channel for c in digests.enabled_channels(context.store)] == ["C1"]
