"""The monthly maatwerkplaats digest: anonymous aggregation and its schedule. Pure: no I/O, no Slack.

What a digest may show (the privacy rules, in one place):
- counts only: how many casussen, and per category in how many casussen it came up;
- categories are card content (signal groups, argument themes, signals), never names, titles,
  answers or user ids;
- a category found in fewer than MIN_CASES casussen is merged into "overig", so no single case can be
  recognised by an unusual category; "overig" counts the casussen behind the merged categories;
- a *terugkerend knelpunt* is one signal from the Signalenkaart suggested in at least MIN_CASES
  casussen of the month: it recurs, and it is never traceable to one or two cases.

Schedule: the digest about month M is posted on the first working day of month M+1 (weekends and
Dutch public holidays skipped) at 09:00 local time (zoneinfo, so DST-correct), keyed by M ("2026-11").
Like the weekly lessons, only the latest moment that has passed counts: after downtime a channel
catches up once, and moments before the channel opted in never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.deck import Deck
from bot.core.dutch import MONTHS
from bot.core.models import CardItem
from bot.core.schedule import next_working_day
from bot.core.summary import Summary

__all__ = [
    "DIGEST_TIME",
    "MIN_CASES",
    "OTHER",
    "CaseFacts",
    "Digest",
    "DigestError",
    "DueDigest",
    "MonthCounts",
    "Tally",
    "build_digest",
    "chart_months",
    "digest_moment",
    "due_month",
    "facts_from_summary",
    "group_label",
    "month_bounds",
    "month_label",
    "parse_month",
    "recent_months",
    "sections",
    "shift_month",
    "short_month_label",
    "tally",
    "to_json",
    "to_text",
]

MIN_CASES = 3
OTHER = "overig"
DIGEST_TIME = time(9, 0)
CHART_MONTHS = 6
MONTHS_NL = MONTHS
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MonthKey = str


class DigestError(ValueError):
    """Input that is not understood; `message` is the Dutch explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- months ---------------------------------------------------------------------------------------


def parse_month(text: str) -> MonthKey:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise DigestError(f"De maand `{text}` begrijp ik niet. Schrijf jaar-maand, bijvoorbeeld 2026-11.")
    return f"{match.group(1)}-{match.group(2)}"


def _year_month(key: MonthKey) -> tuple[int, int]:
    year, month = key.split("-")
    return int(year), int(month)


def month_key(day: date) -> MonthKey:
    return f"{day.year:04d}-{day.month:02d}"


def shift_month(key: MonthKey, months: int) -> MonthKey:
    year, month = _year_month(key)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def recent_months(key: MonthKey, count: int = CHART_MONTHS) -> list[MonthKey]:
    """`count` months ending with `key`, oldest first."""
    return [shift_month(key, offset) for offset in range(-(count - 1), 1)]


def month_label(key: MonthKey) -> str:
    year, month = _year_month(key)
    return f"{MONTHS_NL[month - 1]} {year}"


def short_month_label(key: MonthKey) -> str:
    year, month = _year_month(key)
    return f"{MONTHS_NL[month - 1][:3]} {year % 100:02d}"


def month_bounds(key: MonthKey, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month in local time as [start, end) in UTC."""
    year, month = _year_month(key)
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=zone)
    next_year, next_month = _year_month(shift_month(key, 1))
    end = datetime.combine(date(next_year, next_month, 1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


# -- schedule -------------------------------------------------------------------------------------


def digest_moment(covered: MonthKey, zone: ZoneInfo, at: time = DIGEST_TIME) -> datetime:
    """When the digest about month `covered` is posted: first working day of the next month, at `at`."""
    year, month = _year_month(shift_month(covered, 1))
    return datetime.combine(next_working_day(date(year, month, 1)), at, tzinfo=zone)


@dataclass(frozen=True)
class DueDigest:
    month: MonthKey
    moment: datetime


def due_month(now: datetime, enabled_at: datetime, delivered: set[MonthKey], zone: ZoneInfo) -> DueDigest | None:
    """The digest to post now, if any: the latest moment that has passed, if not yet delivered."""
    current = month_key(now.astimezone(zone).date())
    passed = [
        (covered, moment)
        for covered in (shift_month(current, -2), shift_month(current, -1))
        if enabled_at <= (moment := digest_moment(covered, zone)) <= now
    ]
    if not passed:
        return None
    covered, moment = max(passed, key=lambda pair: pair[1])
    if covered in delivered:
        return None
    upcoming = digest_moment(shift_month(covered, 1), zone)
    if now - moment > timedelta(days=1) and upcoming - now < timedelta(days=1):
        return None  # the regular next digest is almost there; a late catch-up would only crowd it
    return DueDigest(covered, moment)


# -- aggregation ----------------------------------------------------------------------------------


def group_label(item: CardItem) -> str:
    """A short name for a card group, from its id ("passief-of-achterdochtig" → "Passief of achterdochtig")."""
    return item.group_id.replace("-", " ").capitalize()


@dataclass(frozen=True)
class CaseFacts:
    """What one casus contributes to a digest: card references only, nothing a person wrote."""

    signals: frozenset[str] = frozenset()  # signal ids (S-…)
    signal_groups: frozenset[str] = frozenset()  # short group labels
    themes: frozenset[str] = frozenset()  # argument themes (Welzijn, Bestuur, …)


def facts_from_summary(summary: Summary) -> CaseFacts:
    """The suggestions of a dialogue summary as card references. Counterparts (arguments shown only to
    keep voor and tegen side by side) are not something the team's words found, so they do not count."""
    arguments = [hit for hit in [*summary.arguments.voor, *summary.arguments.tegen] if not hit.counterpart]
    return CaseFacts(
        signals=frozenset(hit.item.id for hit in summary.signals),
        signal_groups=frozenset(group_label(hit.item) for hit in summary.signals),
        themes=frozenset(hit.item.section for hit in arguments),
    )


@dataclass(frozen=True)
class Tally:
    label: str
    casussen: int


def tally(per_case: Sequence[Iterable[str]], minimum: int = MIN_CASES) -> tuple[Tally, ...]:
    """In how many casussen each label came up, most first; labels under `minimum` merge into OTHER,
    which counts the distinct casussen behind them (always listed last)."""
    sets = [frozenset(labels) for labels in per_case]
    counts: dict[str, int] = {}
    for labels in sets:
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    shown = {label for label, count in counts.items() if count >= minimum}
    merged = sum(1 for labels in sets if labels - shown)
    result = sorted((Tally(label, counts[label]) for label in shown), key=lambda t: (-t.casussen, t.label))
    if merged:
        result.append(Tally(OTHER, merged))
    return tuple(result)


@dataclass(frozen=True)
class Knelpunt:
    id: str
    tekst: str
    casussen: int


@dataclass(frozen=True)
class MonthCounts:
    """One bar group of the chart: signal groups per month, already merged (safe to store and show)."""

    month: MonthKey
    casussen: int
    groups: tuple[Tally, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "maand": self.month,
            "casussen": self.casussen,
            "signaalgroepen": [{"groep": t.label, "casussen": t.casussen} for t in self.groups],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonthCounts:
        groups = tuple(Tally(str(g["groep"]), int(g["casussen"])) for g in data["signaalgroepen"])
        return cls(str(data["maand"]), int(data["casussen"]), groups)


def month_counts(month: MonthKey, cases: Sequence[CaseFacts]) -> MonthCounts:
    return MonthCounts(month, len(cases), tally([case.signal_groups for case in cases]))


@dataclass(frozen=True)
class Digest:
    month: MonthKey
    casussen: int
    signal_groups: tuple[Tally, ...]
    themes: tuple[Tally, ...]
    knelpunten: tuple[Knelpunt, ...]
    lessons: tuple[CardItem, ...]
    history: tuple[MonthCounts, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return self.casussen == 0

    @property
    def counts(self) -> MonthCounts:
        return MonthCounts(self.month, self.casussen, self.signal_groups)


def build_digest(
    deck: Deck,
    month: MonthKey,
    cases: Sequence[CaseFacts],
    lesson_ids: Sequence[str],
    earlier: Sequence[MonthCounts] = (),
) -> Digest:
    """The digest of one month from the casussen's facts, the lessons posted, and earlier months' counts."""
    signal_counts: dict[str, int] = {}
    for case in cases:
        for signal in case.signals:
            signal_counts[signal] = signal_counts.get(signal, 0) + 1
    knelpunten = sorted(
        (Knelpunt(sid, deck.item(sid).tekst, count) for sid, count in signal_counts.items() if count >= MIN_CASES),
        key=lambda k: (-k.casussen, k.id),
    )
    counts = month_counts(month, cases)
    return Digest(
        month=month,
        casussen=len(cases),
        signal_groups=counts.groups,
        themes=tally([case.themes for case in cases]),
        knelpunten=tuple(knelpunten),
        lessons=tuple(deck.item(lesson_id) for lesson_id in lesson_ids),
        history=(*earlier, counts),
    )


def chart_months(digest: Digest) -> tuple[list[MonthKey], dict[str, list[int]]]:
    """The chart's data: months oldest first, and per signal group its count in each month (0 if absent).
    Groups are ordered by their total, "overig" last; groups that never appear are left out."""
    months = [counts.month for counts in digest.history]
    series: dict[str, list[int]] = {}
    for position, counts in enumerate(digest.history):
        for entry in counts.groups:
            series.setdefault(entry.label, [0] * len(months))[position] = entry.casussen
    order = sorted(series, key=lambda label: (label == OTHER, -sum(series[label]), label))
    return months, {label: series[label] for label in order}


# -- rendering (plain text; Slack blocks live in the Slack adapter) -------------------------------

PRIVACY_NOTE = (
    f"Anoniem: alleen aantallen en kaartonderwerpen, geen namen, titels of antwoorden. "
    f"Wat in minder dan {MIN_CASES} casussen voorkwam, staat onder ‘{OTHER}’."
)


def title(digest: Digest) -> str:
    return f"Maandoverzicht maatwerkplaats: {month_label(digest.month)}"


def intro(digest: Digest) -> str:
    if digest.empty:
        return f"In {month_label(digest.month)} is in dit kanaal geen casus besproken."
    word = "casus" if digest.casussen == 1 else "casussen"
    return f"In {month_label(digest.month)} zijn in dit kanaal {digest.casussen} {word} besproken."


def _tally_lines(tallies: Sequence[Tally]) -> list[str]:
    return [f"{t.label}: {t.casussen} {'casus' if t.casussen == 1 else 'casussen'}" for t in tallies]


def sections(digest: Digest) -> list[tuple[str, list[str]]]:
    """(heading, lines) in reading order; the Slack blocks and the command line show the same."""
    parts: list[tuple[str, list[str]]] = []
    if not digest.empty:
        parts.append(
            ("Signalen die het vaakst opkwamen", _tally_lines(digest.signal_groups) or ["Geen signalen gevonden."])
        )
        parts.append(("Thema's van de argumenten", _tally_lines(digest.themes) or ["Geen argumenten gevonden."]))
        knelpunten = [f"{k.id} {k.tekst} ({k.casussen} casussen)" for k in digest.knelpunten]
        parts.append(
            (
                f"Terugkerende knelpunten (een signaal in {MIN_CASES} of meer casussen)",
                knelpunten or [f"Geen signaal kwam in {MIN_CASES} of meer casussen terug."],
            )
        )
    lessons = [f"{lesson.id} {lesson.tekst}" for lesson in digest.lessons]
    parts.append(("Lessen die deze maand in het kanaal stonden", lessons or ["Deze maand geen lessen geplaatst."]))
    return parts


def to_text(digest: Digest) -> str:
    lines = [title(digest), "", intro(digest)]
    for heading, items in sections(digest):
        lines += ["", f"{heading}:"] + [f"- {item}" for item in items]
    lines += ["", PRIVACY_NOTE]
    return "\n".join(lines) + "\n"


def to_json(digest: Digest) -> dict[str, Any]:
    return {
        "maand": digest.month,
        "casussen": digest.casussen,
        "signaalgroepen": [{"groep": t.label, "casussen": t.casussen} for t in digest.signal_groups],
        "themas": [{"thema": t.label, "casussen": t.casussen} for t in digest.themes],
        "knelpunten": [{"id": k.id, "tekst": k.tekst, "casussen": k.casussen} for k in digest.knelpunten],
        "lessen": [{"id": lesson.id, "tekst": lesson.tekst} for lesson in digest.lessons],
        "verloop": [counts.to_json() for counts in digest.history],
        "minimum_casussen": MIN_CASES,
    }
