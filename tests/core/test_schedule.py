"""Weekly lesson moments: Dutch time, DST, holidays, catch-up, rotation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.schedule import (
    ChannelSchedule,
    ScheduleError,
    due,
    moment_for_week,
    next_lesson,
    parse_settings,
    plan,
    rotation,
)

MONDAY = ChannelSchedule(team="T1", channel="C1")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def test_default_is_monday_0900_amsterdam_for_all_audiences() -> None:
    schedule = parse_settings([], "T1", "C1")
    assert (schedule.weekday, schedule.at, schedule.audience, schedule.tz) == (
        0,
        time(9),
        "iedereen",
        "Europe/Amsterdam",
    )


def test_settings_are_read_in_any_order() -> None:
    schedule = parse_settings(["10:30", "uitvoerders", "di"], "T1", "C1")
    assert (schedule.weekday, schedule.at, schedule.audience) == (1, time(10, 30), "uitvoerders")


@pytest.mark.parametrize("words", [["zondag"], ["25:00"], ["sterrenkijkers"]])
def test_bad_settings_get_a_dutch_explanation(words: list[str]) -> None:
    with pytest.raises(ScheduleError) as error:
        parse_settings(words, "T1", "C1")
    assert error.value.message


def test_dst_switch_in_march_keeps_nine_oclock_local() -> None:
    # Last Sunday of March 2027 is the 28th: the Monday before is CET, the Monday after CEST.
    before, after = plan(MONDAY, date(2027, 3, 22), 3)[0], plan(MONDAY, date(2027, 4, 5), 1)[0]
    assert before.isoformat() == "2027-03-22T09:00:00+01:00"
    assert after.isoformat() == "2027-04-05T09:00:00+02:00"
    assert before.astimezone(UTC).hour == 8
    assert after.astimezone(UTC).hour == 7


def test_dst_switch_in_october_keeps_nine_oclock_local() -> None:
    # Last Sunday of October 2026 is the 25th.
    moments = plan(MONDAY, date(2026, 10, 19), 2)
    assert [m.isoformat() for m in moments] == ["2026-10-19T09:00:00+02:00", "2026-10-26T09:00:00+01:00"]


def test_tweede_paasdag_moves_to_tuesday() -> None:
    moments = plan(MONDAY, date(2027, 3, 22), 3)
    assert [m.date() for m in moments] == [date(2027, 3, 22), date(2027, 3, 30), date(2027, 4, 5)]


def test_koningsdag_moves_to_the_next_working_day() -> None:
    tuesday = ChannelSchedule(team="T1", channel="C1", weekday=1)
    assert moment_for_week(tuesday, 2027, 17).date() == date(2027, 4, 28)  # 27 April 2027 is a Tuesday


def test_koningsdag_on_a_sunday_is_celebrated_on_saturday_26_april() -> None:
    saturday_holiday = ChannelSchedule(team="T1", channel="C1", weekday=4)
    # In 2025 King's Day fell on Sunday 27 April and was held on Saturday 26 April: Friday 25 stays.
    assert moment_for_week(saturday_holiday, 2025, 17).date() == date(2025, 4, 25)


def test_kerst_on_friday_moves_to_monday() -> None:
    friday = ChannelSchedule(team="T1", channel="C1", weekday=4)
    assert moment_for_week(friday, 2026, 52).date() == date(2026, 12, 28)  # 25 and 26 Dec, weekend


def test_nieuwjaar_moves_to_the_next_working_day() -> None:
    friday = ChannelSchedule(team="T1", channel="C1", weekday=4)
    assert moment_for_week(friday, 2026, 53).date() == date(2027, 1, 4)  # 1 Jan 2027 is a Friday


def test_nothing_is_due_before_the_moment() -> None:
    now = datetime(2027, 3, 22, 7, 59, tzinfo=UTC)  # 08:59 Amsterdam
    assert due(MONDAY, now, LONG_AGO, set()) is None


def test_the_week_is_due_at_the_moment_and_not_again_once_delivered() -> None:
    now = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)  # 09:00 Amsterdam
    delivery = due(MONDAY, now, LONG_AGO, set())
    assert delivery is not None
    assert delivery.week == "2027-W12"
    assert due(MONDAY, now + timedelta(hours=5), LONG_AGO, {"2027-W12"}) is None


def test_after_weeks_of_downtime_only_the_latest_week_is_caught_up() -> None:
    now = datetime(2027, 3, 25, 12, 0, tzinfo=UTC)  # Thursday, three weeks after the last delivery
    delivery = due(MONDAY, now, LONG_AGO, {"2027-W09"})
    assert delivery is not None
    assert delivery.week == "2027-W12"


def test_no_catch_up_just_before_the_next_regular_moment() -> None:
    sunday_evening = datetime(2027, 3, 21, 20, 0, tzinfo=UTC)  # week 11 missed, week 12 starts in 12 hours
    assert due(MONDAY, sunday_evening, LONG_AGO, {"2027-W10"}) is None


def test_weeks_before_switching_on_never_count() -> None:
    switched_on = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
    assert due(MONDAY, datetime(2027, 3, 24, 10, 0, tzinfo=UTC), switched_on, set()) is None


def test_rotation_is_deterministic_per_channel() -> None:
    lessons = [f"L-{n:02d}" for n in range(1, 8)]
    assert rotation("C1", lessons, 0) == rotation("C1", lessons, 0)
    assert rotation("C1", lessons, 0) != rotation("C2", lessons, 0)


@given(st.integers(min_value=2, max_value=36), st.text(min_size=1, max_size=8))
def test_rotation_posts_every_lesson_once_per_round_and_never_twice_in_a_row(count: int, channel: str) -> None:
    lessons = [f"L-{n:02d}" for n in range(1, count + 1)]
    history: list[tuple[int, str]] = []
    for _ in range(3 * count):
        history.append(next_lesson(channel, lessons, history))
    for round_number in range(2):
        in_round = [lesson for r, lesson in history if r == round_number]
        assert sorted(in_round) == lessons
    assert all(a[1] != b[1] for a, b in pairwise(history))
