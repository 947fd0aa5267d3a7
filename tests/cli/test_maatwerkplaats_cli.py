import json

from tests.process import run_maatwerk as maatwerk


def test_plan_prints_iso_moments_with_offset_after_holiday_moves() -> None:
    result = maatwerk(
        "maatwerkplaats",
        "plan",
        "--dag",
        "maandag",
        "--tijd",
        "09:00",
        "--vanaf",
        "2027-03-22",
        "--weken",
        "3",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "2027-03-22T09:00:00+01:00",
        "2027-03-30T09:00:00+02:00",
        "2027-04-05T09:00:00+02:00",
    ]


def test_plan_refuses_a_weekend_day_in_dutch() -> None:
    result = maatwerk("maatwerkplaats", "plan", "--dag", "zaterdag")
    assert result.returncode == 2
    assert "werkdag" in result.stderr


def test_tick_needs_a_time_zone() -> None:
    result = maatwerk("maatwerkplaats", "tick", "--now", "2027-03-22T09:05:00")
    assert result.returncode == 2
    assert "tijdzone" in result.stderr
