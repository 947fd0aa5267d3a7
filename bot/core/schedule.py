"""When a maatwerkplaats channel gets its weekly lesson, and which lesson. Pure: no I/O.

A schedule names a weekday and a local time (default maandag 09:00, Europe/Amsterdam). The delivery of
ISO week W is that weekday of W at that local time (zoneinfo makes it DST-correct); a Dutch public
holiday or weekend day moves it to the next working day (library `holidays`, NL). Each delivery is
keyed by its nominal ISO week, so a channel gets at most one lesson per week key. The holiday library is
imported at its first use (or by `warm_up`, which servers run in a thread once their port is open).

Lessons rotate per channel without repeats: the audience's lessons in an order shuffled by a seed of
channel id and round number (deterministic), and a new shuffled round once all were posted.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.lessons import ALL_AUDIENCES, normalise_audience

if TYPE_CHECKING:
    import holidays

WEEKDAYS: tuple[str, ...] = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DEFAULT_WEEKDAY = 0
DEFAULT_TIME = time(9, 0)
DEFAULT_TZ = "Europe/Amsterdam"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.u]?([0-5]\d)?$")


class ScheduleError(ValueError):
    """Input for a schedule that is not understood; `message` is the Dutch explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_weekday(text: str) -> int:
    key = text.strip().lower()
    for number, name in enumerate(WEEKDAYS):
        if len(key) >= 2 and name.startswith(key):
            return number
    raise ScheduleError(f"De dag `{text}` ken ik niet. Kies uit: {', '.join(WEEKDAYS[:5])}.")


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip().lower())
    if not match:
        raise ScheduleError(f"De tijd `{text}` begrijp ik niet. Schrijf bijvoorbeeld 09:00 of 14:30.")
    return time(int(match.group(1)), int(match.group(2) or 0))


@dataclass(frozen=True)
class ChannelSchedule:
    team: str
    channel: str
    weekday: int = DEFAULT_WEEKDAY
    at: time = DEFAULT_TIME
    audience: str = ALL_AUDIENCES
    tz: str = DEFAULT_TZ

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def describe(self) -> str:
        audience = "alle doelgroepen" if self.audience == ALL_AUDIENCES else self.audience
        return f"elke {WEEKDAYS[self.weekday]} om {self.at:%H:%M} ({audience})"


def parse_settings(words: list[str], team: str, channel: str, tz: str = DEFAULT_TZ) -> ChannelSchedule:
    """`[dag] [tijd] [doelgroep]` in any order, e.g. `dinsdag 10:00 uitvoerders`; missing parts default."""
    weekday, at, audience = DEFAULT_WEEKDAY, DEFAULT_TIME, ALL_AUDIENCES
    for word in words:
        if _TIME.match(word.lower()) and any(ch.isdigit() for ch in word):
            at = parse_time(word)
            continue
        try:
            weekday = parse_weekday(word)
            continue
        except ScheduleError:
            pass
        try:
            audience = normalise_audience(word)
        except ValueError as error:
            raise ScheduleError(
                f"`{word}` is geen dag, tijd of doelgroep. Voorbeeld: `maatwerkplaats aan dinsdag 10:00 uitvoerders`."
            ) from error
    if weekday >= 5:
        raise ScheduleError("Kies een werkdag (maandag tot en met vrijdag): in het weekend plaats ik geen lessen.")
    return ChannelSchedule(team=team, channel=channel, weekday=weekday, at=at, audience=audience, tz=tz)


@lru_cache(maxsize=32)
def _holidays(year: int) -> holidays.HolidayBase:
    import holidays

    return holidays.country_holidays("NL", years=[year])


def warm_up() -> None:
    """Import the holiday library now instead of at the first scheduled lesson. A year's calendar is made at
    its first use, as before (building it holds ~8 MiB, which a server without schedules never needs)."""
    import holidays  # noqa: F401


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


WeekKey = str


def week_key(iso_year: int, iso_week: int) -> WeekKey:
    return f"{iso_year}-W{iso_week:02d}"


def _shift_week(iso_year: int, iso_week: int, weeks: int) -> tuple[int, int]:
    monday = date.fromisocalendar(iso_year, iso_week, 1) + timedelta(weeks=weeks)
    year, week, _ = monday.isocalendar()
    return year, week


def moment_for_week(schedule: ChannelSchedule, iso_year: int, iso_week: int) -> datetime:
    """The delivery moment of one ISO week, after moving it off holidays and weekends."""
    nominal = date.fromisocalendar(iso_year, iso_week, schedule.weekday + 1)
    return datetime.combine(next_working_day(nominal), schedule.at, tzinfo=schedule.zone)


def plan(schedule: ChannelSchedule, start: date, weeks: int) -> list[datetime]:
    """The next `weeks` delivery moments on or after `start` (a local date)."""
    year, week, _ = start.isocalendar()
    year, week = _shift_week(year, week, -1)  # a moved delivery of last week can still fall after start
    moments: list[datetime] = []
    while len(moments) < weeks:
        moment = moment_for_week(schedule, year, week)
        if moment.date() >= start:
            moments.append(moment)
        year, week = _shift_week(year, week, 1)
    return moments


@dataclass(frozen=True)
class Due:
    week: WeekKey
    moment: datetime


def due(schedule: ChannelSchedule, now: datetime, enabled_at: datetime, delivered: set[WeekKey]) -> Due | None:
    """The delivery to make now, if any.

    Only the latest moment that has passed counts: after downtime a channel catches up once, not once
    per missed week; a catch-up is skipped when the next regular moment is less than a day away.
    Moments before the channel was switched on never count.
    """
    local = now.astimezone(schedule.zone)
    year, week, _ = local.date().isocalendar()
    candidates = [_shift_week(year, week, -1), (year, week)]
    passed = [
        (week_key(y, w), moment_for_week(schedule, y, w))
        for y, w in candidates
        if enabled_at <= moment_for_week(schedule, y, w) <= now
    ]
    if not passed:
        return None
    key, moment = max(passed, key=lambda pair: pair[1])
    if key in delivered:
        return None
    key_year, key_week = (int(part) for part in key.split("-W"))
    upcoming = moment_for_week(schedule, *_shift_week(key_year, key_week, 1))
    if now - moment > timedelta(days=1) and upcoming - now < timedelta(days=1):
        return None
    return Due(key, moment)


def rotation(channel: str, lesson_ids: list[str], round_number: int) -> list[str]:
    """The order of one round for a channel: a shuffle seeded by channel and round (deterministic)."""
    order = sorted(lesson_ids)
    random.Random(f"{channel}:{round_number}").shuffle(order)
    return order


def next_lesson(channel: str, lesson_ids: list[str], history: list[tuple[int, str]]) -> tuple[int, str]:
    """(round, lesson id) to post next, given the channel's history of (round, lesson id)."""
    if not lesson_ids:
        raise ValueError("no lessons for this audience")
    current = max((round_number for round_number, _ in history), default=0)
    posted = {lesson for round_number, lesson in history if round_number == current}
    for lesson in rotation(channel, lesson_ids, current):
        if lesson not in posted:
            return current, lesson
    # A new round; never the lesson of last week again, even if the new shuffle starts with it.
    last = history[-1][1] if history else None
    order = [lesson for lesson in rotation(channel, lesson_ids, current + 1) if lesson != last] or [last or ""]
    return current + 1, order[0]
