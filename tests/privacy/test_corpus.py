"""The labelled corpus: every BSN, IBAN, e-mail, phone number, postcode + huisnummer and birth date is
replaced exactly (nothing else changes), at least 95 % of names go, and at most 2 % of ordinary
caseworker sentences change."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from bot.core.privacy import redact
from tests.privacy.corpus import Case, all_cases, name_leaked, ordinary_sentences

TODAY = date(2026, 11, 24)
CASES = all_cases()
EXACT = ("BSN", "IBAN", "e-mail", "telefoon", "postcode", "geboortedatum")


def _by_category() -> dict[str, list[Case]]:
    grouped: dict[str, list[Case]] = defaultdict(list)
    for case in CASES:
        grouped[case.category].append(case)
    return grouped


def test_every_category_has_at_least_40_variants_and_there_are_100_ordinary_sentences() -> None:
    counts = {category: len(cases) for category, cases in _by_category().items()}
    assert set(counts) == {*EXACT, "naam"}
    assert min(counts.values()) >= 40, counts
    assert len(ordinary_sentences()) == 100


@pytest.mark.parametrize("category", EXACT)
def test_no_value_of_a_numeric_category_survives(category: str) -> None:
    misses = [
        (case.text, text)
        for case in _by_category()[category]
        if (text := redact(case.text, TODAY).text) != case.expected
    ]
    assert misses == []


def test_at_least_95_percent_of_names_are_redacted() -> None:
    names = _by_category()["naam"]
    leaked = [case.text for case in names if name_leaked(case, redact(case.text, TODAY).text)]
    assert len(leaked) <= 0.05 * len(names), leaked


def test_at_most_2_percent_of_ordinary_sentences_change() -> None:
    sentences = ordinary_sentences()
    changed = [s for s in sentences if redact(s, TODAY).text != s]
    assert len(changed) <= 0.02 * len(sentences), changed


def test_the_leak_check_itself_sees_a_name_left_in_the_text() -> None:
    case = next(c for c in CASES if c.category == "naam")
    assert name_leaked(case, case.text)
    assert not name_leaked(case, redact(case.text, TODAY).text)
