"""Every rule of content/tekstanalyse.yaml fixes its example and leaves its counter-example alone.

'zin' must be analysed differently with the rule than without it (a rule that changes nothing is deleted);
'niet_breken' must be analysed the same with and without it.
"""

from functools import lru_cache
from typing import Any

import pytest

from bot.core.deck import load_deck
from bot.core.retrieval.compounds import split_compound
from bot.core.retrieval.relevance import CUES_SECTION
from bot.core.retrieval.rules import RULES, TextRules
from bot.core.search import SearchIndex


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    return frozenset(SearchIndex(load_deck()).analyzer.vocabulary)


def analysis(rules: TextRules, text: str) -> tuple[object, ...]:
    """Everything the rules decide about a text: its words, stop words aside, keys and compound parts."""
    content = rules.words(text)
    return (
        tuple(rules.phrase_words(text)),
        tuple(content),
        tuple(rules.key(word) for word in content),
        tuple(tuple(split_compound(word, vocabulary(), rules)) for word in content),
    )


def _analysis_sections() -> list[tuple[str, Any]]:
    """The sections of text analysis; 'relevantie' feeds the relevance decision (tests/core/test_relevance_rules.py)."""
    return [(section, entries) for section, entries in RULES.data.items() if section != CUES_SECTION]


def _entries() -> list[Any]:
    cases = []
    for section, entries in _analysis_sections():
        if isinstance(entries, dict):  # a word list with examples for the list as a whole
            for number, example in enumerate(entries["voorbeelden"]):
                cases.append(pytest.param(section, None, example, id=f"{section}-{number}"))
        else:
            for number, entry in enumerate(entries):
                name = next(iter(entry.values()))
                cases.append(pytest.param(section, number, entry, id=f"{section}-{name}"))
    return cases


def _without(section: str, number: int | None) -> TextRules:
    if number is not None:
        return RULES.without(section, number)
    data = dict(RULES.data)
    data[section] = {**data[section], "woorden": []}
    return TextRules(data)


@pytest.mark.parametrize(("section", "number", "entry"), _entries())
def test_rule_fixes_its_example_and_breaks_nothing(section: str, number: int | None, entry: dict[str, str]) -> None:
    without = _without(section, number)
    assert analysis(RULES, entry["zin"]) != analysis(without, entry["zin"]), "de regel verandert niets"
    assert analysis(RULES, entry["niet_breken"]) == analysis(without, entry["niet_breken"])


def test_kept_apart_words_do_not_meet_the_word_they_collide_with() -> None:
    for entry in RULES.data["uit_elkaar"]:
        other = RULES.key(entry["botst_met"])
        assert other not in [RULES.key(word) for word in RULES.words(entry["zin"])], entry["woord"]
        assert other in [RULES.key(word) for word in RULES.words(entry["niet_breken"])], entry["woord"]


def test_every_rule_has_both_examples() -> None:
    for section, entries in _analysis_sections():
        examples = entries["voorbeelden"] if isinstance(entries, dict) else entries
        assert examples, section
        for entry in examples:
            assert str(entry["zin"]).strip(), (section, entry)
            assert str(entry["niet_breken"]).strip(), (section, entry)
