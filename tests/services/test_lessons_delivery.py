"""Weekly lessons delivery: exactly once per channel and week, whatever crashes or runs twice."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.schedule import ChannelSchedule
from bot.services.context import AppContext
from bot.services.lessons import LessonDelivery, LessonPrompt
from bot.settings import Settings
from bot.store import schedules
from bot.store.schedules import Claim
from tests.services import posters

MONDAY_0905 = datetime(2027, 3, 22, 8, 5, tzinfo=UTC)
SWITCHED_ON = datetime(2027, 3, 1, tzinfo=UTC)


class RecordingPoster(posters.RecordingPoster[LessonPrompt]):
    """The weekly lessons' poster, recording."""


def context_for(path: Path) -> AppContext:
    return AppContext.create(Settings(MAATWERK_DB=path))


def enable(context: AppContext, *channels: str, audience: str = "iedereen") -> None:
    for channel in channels:
        schedule = ChannelSchedule(team="T1", channel=channel, audience=audience)
        schedules.save_schedule(context.store, schedule, "UADMIN", SWITCHED_ON)


async def test_a_due_channel_gets_one_lesson_and_a_second_pass_posts_nothing(tmp_path: Path) -> None:
    context = context_for(tmp_path / "l.db")
    enable(context, "C1")
    poster = RecordingPoster()
    delivery = LessonDelivery(context, poster)
    first = await delivery.tick(MONDAY_0905)
    second = await delivery.tick(MONDAY_0905 + timedelta(minutes=1))
    assert [p.channel for p in first.sent] == ["C1"]
    assert second.sent == []
    assert poster.count("C1") == 1
    assert schedules.sent_lessons(context.store, "C1")[0][0] == "2027-W12"


async def test_nothing_is_posted_before_the_moment(tmp_path: Path) -> None:
    context = context_for(tmp_path / "l.db")
    enable(context, "C1")
    poster = RecordingPoster()
    await LessonDelivery(context, poster).tick(MONDAY_0905 - timedelta(minutes=10))
    assert poster.posts == []


async def test_audience_lessons_rotate_without_repeats_over_weeks(tmp_path: Path) -> None:
    context = context_for(tmp_path / "l.db")
    enable(context, "C1", audience="bestuurders")
    poster = RecordingPoster()
    delivery = LessonDelivery(context, poster)
    for week in range(6):
        await delivery.tick(MONDAY_0905 + timedelta(weeks=week, days=1))
    lessons = [prompt.lesson for prompt, _ in poster.posts]
    assert len(lessons) == 6
    assert {lesson.section for lesson in lessons} == {"bestuurders"}
    assert len({lesson.id for lesson in lessons}) == 6  # 7 bestuurders lessons; L-12 cannot stand alone


def _tick_in_thread(path: Path, poster: RecordingPoster, barrier: threading.Barrier) -> None:
    context = context_for(path)
    barrier.wait()
    asyncio.run(LessonDelivery(context, poster).tick(MONDAY_0905))
    context.close()


def test_two_instances_ticking_at_once_post_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    setup = context_for(path)
    enable(setup, *(f"C{n}" for n in range(20)))
    setup.close()
    poster = RecordingPoster()
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_tick_in_thread, args=(path, poster, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(poster.posts) == 20
    assert all(poster.count(f"C{n}") == 1 for n in range(20))


def _claimed_but_not_sent(tmp_path: Path) -> tuple[AppContext, RecordingPoster, LessonDelivery, Claim]:
    context = context_for(tmp_path / "l.db")
    enable(context, "C1")
    poster = RecordingPoster()
    delivery = LessonDelivery(context, poster)
    record = schedules.get_schedule(context.store, "C1")
    assert record is not None
    claim = delivery._claim_due(record.schedule, SWITCHED_ON, MONDAY_0905)
    assert claim is not None
    return context, poster, delivery, claim


async def test_crash_after_the_post_is_reconciled_not_sent_twice(tmp_path: Path) -> None:
    context, poster, delivery, claim = _claimed_but_not_sent(tmp_path)
    # The process claimed and posted, then died before recording the ts.
    await poster.post(delivery._prompt(claim))
    later = await delivery.tick(MONDAY_0905 + schedules.CLAIM_TIMEOUT + timedelta(minutes=1))
    assert [p.channel for p in later.reconciled] == ["C1"]
    assert poster.count("C1") == 1
    assert schedules.sent_lessons(context.store, "C1") == [("2027-W12", claim.lesson_id)]


async def test_crash_before_the_post_is_retried_later_and_never_lost(tmp_path: Path) -> None:
    _context, poster, delivery, _claim = _claimed_but_not_sent(tmp_path)
    # The process claimed, then died before posting.
    soon = await delivery.tick(MONDAY_0905 + timedelta(minutes=1))
    assert soon.sent == []  # the claim is fresh: another instance may still be posting it
    later = await delivery.tick(MONDAY_0905 + schedules.CLAIM_TIMEOUT + timedelta(minutes=1))
    assert [p.channel for p in later.sent] == ["C1"]
    assert poster.count("C1") == 1


async def test_channel_without_the_bot_is_switched_off_and_not_retried(tmp_path: Path) -> None:
    context = context_for(tmp_path / "l.db")
    enable(context, "C1", "CGONE")
    poster = RecordingPoster(gone={"CGONE"})
    delivery = LessonDelivery(context, poster)
    report = await delivery.tick(MONDAY_0905)
    assert report.disabled == ["CGONE"]
    record = schedules.get_schedule(context.store, "CGONE")
    assert record is not None
    assert not record.enabled
    assert record.disabled_reason == "not_in_channel"
    await delivery.tick(MONDAY_0905 + timedelta(weeks=1, days=1))  # Tuesday: Easter Monday moved it
    assert poster.count("CGONE") == 0
    assert poster.count("C1") == 2


async def test_failed_post_gives_the_claim_back_for_the_next_pass(tmp_path: Path) -> None:
    context = context_for(tmp_path / "l.db")
    enable(context, "C1")
    poster = RecordingPoster(fail_first=1)
    delivery = LessonDelivery(context, poster)
    first = await delivery.tick(MONDAY_0905)
    second = await delivery.tick(MONDAY_0905 + timedelta(minutes=1))
    assert first.failed == ["C1"]
    assert [p.channel for p in second.sent] == ["C1"]
    assert poster.count("C1") == 1
