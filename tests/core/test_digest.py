"""The monthly digest in core: anonymous aggregation ("overig" under 3 casussen, knelpunten, an empty
month) and its schedule (first working day of the month, 09:00 Dutch time, DST, catch-up once)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.deck import Deck
from bot.core.digest import (
    OTHER,
    CaseFacts,
    DigestError,
    MonthCounts,
    Tally,
    build_digest,
    chart_months,
    digest_moment,
    due_month,
    group_label,
    month_bounds,
    parse_month,
    recent_months,
    sections,
    tally,
    to_json,
    to_text,
)

AMS = ZoneInfo("Europe/Amsterdam")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def case(deck: Deck, signals: set[str], themes: set[str] | None = None) -> CaseFacts:
    return CaseFacts(
        signals=frozenset(signals),
        signal_groups=frozenset(group_label(deck.item(s)) for s in signals),
        themes=frozenset(themes or ()),
    )


# -- aggregation ----------------------------------------------------------------------------------


def test_labels_from_fewer_than_three_casussen_merge_into_overig() -> None:
    result = tally([{"a", "b"}, {"a"}, {"a", "c"}, {"b"}, {"d"}])
    # a: 3 casussen (shown); b: 2, c: 1, d: 1 merge; overig counts distinct casussen behind them (4).
    assert result == (Tally("a", 3), Tally(OTHER, 4))


def test_overig_is_absent_when_every_label_reaches_three() -> None:
    assert tally([{"a"}, {"a"}, {"a"}]) == (Tally("a", 3),)


def test_a_single_casus_shows_no_category_by_name(deck: Deck) -> None:
    digest = build_digest(deck, "2026-11", [case(deck, {"S-01"}, {"Welzijn"})], [])
    assert digest.signal_groups == (Tally(OTHER, 1),)
    assert digest.themes == (Tally(OTHER, 1),)
    assert digest.knelpunten == ()
    assert "Welzijn" not in to_text(digest)
    assert "S-01" not in to_text(digest)


def test_a_signal_in_three_casussen_is_a_knelpunt_in_two_it_is_not(deck: Deck) -> None:
    cases = [case(deck, {"S-01", "S-21"}), case(deck, {"S-01", "S-21"}), case(deck, {"S-01"}), case(deck, {"S-11"})]
    digest = build_digest(deck, "2026-11", cases, [])
    assert [(k.id, k.casussen) for k in digest.knelpunten] == [("S-01", 3)]
    assert deck.item("S-01").tekst in to_text(digest)
    assert "S-21" not in to_text(digest)


def test_signal_groups_and_themes_are_counted_per_casus_not_per_hit(deck: Deck) -> None:
    # S-01 and S-03 are both in the group "Bijzondere vraag": one casus counts once for the group.
    cases = [case(deck, {"S-01", "S-03"}, {"Welzijn", "Bestuur"}) for _ in range(3)]
    digest = build_digest(deck, "2026-11", cases, [])
    assert digest.signal_groups == (Tally("Bijzondere vraag", 3),)
    assert digest.themes == (Tally("Bestuur", 3), Tally("Welzijn", 3))
    assert digest.casussen == 3


def test_an_empty_month_says_so_plainly_and_still_lists_the_lessons(deck: Deck) -> None:
    digest = build_digest(deck, "2026-11", [], ["L-01"])
    text = to_text(digest)
    assert digest.empty
    assert "In november 2026 is in dit kanaal geen casus besproken." in text
    assert "Signalen" not in text
    assert [heading for heading, _ in sections(digest)] == ["Lessen die deze maand in het kanaal stonden"]
    assert deck.item("L-01").tekst in text
    assert to_json(digest)["casussen"] == 0


def test_chart_data_runs_month_over_month_with_zero_for_missing_groups(deck: Deck) -> None:
    earlier = [MonthCounts("2026-10", 4, (Tally("Dossier", 3), Tally(OTHER, 1)))]
    digest = build_digest(deck, "2026-11", [case(deck, {"S-01"}) for _ in range(3)], [], earlier)
    months, series = chart_months(digest)
    assert months == ["2026-10", "2026-11"]
    assert series == {"Bijzondere vraag": [0, 3], "Dossier": [3, 0], OTHER: [1, 0]}
    assert list(series)[-1] == OTHER


def test_month_counts_survive_a_json_round_trip() -> None:
    counts = MonthCounts("2026-10", 4, (Tally("Dossier", 3), Tally(OTHER, 1)))
    assert MonthCounts.from_json(counts.to_json()) == counts


# -- months and schedule --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "nov", "2026-1", "", "1999-12"])
def test_a_month_that_is_not_understood_gets_a_dutch_message(text: str) -> None:
    with pytest.raises(DigestError, match="begrijp ik niet"):
        parse_month(text)


def test_recent_months_cross_the_year() -> None:
    assert recent_months("2027-02", 4) == ["2026-11", "2026-12", "2027-01", "2027-02"]


def test_month_bounds_are_local_midnight_in_utc() -> None:
    start, end = month_bounds("2026-10", AMS)
    assert start == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)  # CEST
    assert end == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)  # CET after the clocks went back


@pytest.mark.parametrize(
    ("covered", "expected"),
    [
        ("2026-12", date(2027, 1, 4)),  # 1 January (Nieuwjaarsdag, a Friday) and the weekend skipped
        ("2026-10", date(2026, 11, 2)),  # 1 November 2026 is a Sunday
        ("2026-07", date(2026, 8, 3)),  # 1 August 2026 is a Saturday
        ("2020-05", date(2020, 6, 2)),  # 1 June 2020 is Tweede Pinksterdag
        ("2027-02", date(2027, 3, 1)),  # an ordinary Monday
    ],
)
def test_digest_goes_out_on_the_first_working_day_at_nine(covered: str, expected: date) -> None:
    moment = digest_moment(covered, AMS)
    assert moment.date() == expected
    assert (moment.hour, moment.minute) == (9, 0)


def test_nine_oclock_is_dutch_time_in_winter_and_summer() -> None:
    assert digest_moment("2027-02", AMS).astimezone(UTC) == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # CET
    assert digest_moment("2027-03", AMS).astimezone(UTC) == datetime(2027, 4, 1, 7, 0, tzinfo=UTC)  # CEST


MOMENT = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # maandag 2 november 2026, 09:00 CET: October's digest


def test_nothing_is_due_before_the_moment() -> None:
    assert due_month(MOMENT - timedelta(seconds=1), LONG_AGO, set(), AMS) is None


def test_the_previous_month_is_due_at_the_moment_and_once() -> None:
    due = due_month(MOMENT, LONG_AGO, set(), AMS)
    assert due is not None
    assert due.month == "2026-10"
    assert due_month(MOMENT + timedelta(minutes=1), LONG_AGO, {"2026-10"}, AMS) is None


def test_after_downtime_only_the_latest_month_is_caught_up() -> None:
    # Down from October to 10 December: September's and October's digests were missed; November's is due.
    due = due_month(datetime(2026, 12, 10, 12, 0, tzinfo=UTC), LONG_AGO, set(), AMS)
    assert due is not None
    assert due.month == "2026-11"


def test_a_channel_that_opted_in_after_the_moment_waits_for_next_month() -> None:
    assert due_month(MOMENT + timedelta(days=3), MOMENT + timedelta(hours=1), set(), AMS) is None
    due = due_month(digest_moment("2026-11", AMS), MOMENT + timedelta(hours=1), set(), AMS)
    assert due is not None
    assert due.month == "2026-11"


def test_new_year_digest_waits_for_the_first_working_day() -> None:
    assert due_month(datetime(2027, 1, 1, 9, 0, tzinfo=AMS), LONG_AGO, {"2026-11"}, AMS) is None
    due = due_month(datetime(2027, 1, 4, 9, 0, tzinfo=AMS), LONG_AGO, {"2026-11"}, AMS)
    assert due is not None
    assert due.month == "2026-12"
