"""Every word list of content/tekstanalyse.yaml 'relevantie' changes the decision on its example and leaves its
counter-example alone: 'zin' gets signals with the list and none without it, or the other way round;
'niet_breken' is decided the same with and without it. A list that changes nothing is deleted."""

import dataclasses
from functools import lru_cache
from typing import Any

import pytest

from bot.core.deck import load_deck
from bot.core.retrieval.relevance import CUES_SECTION, CueList, Cues, names
from bot.core.retrieval.rules import RULES
from bot.core.search import SearchIndex

# The field of Cues that each list of the section fills.
FIELDS = {
    "personen": "person",
    "eigen": "own",
    "context": "context",
    "schrijver": "writer",
    "spreken": "speech",
}
# The lists that are plain sets of words (the others are CueLists: also the last part of a compound).
WORD_SETS = {"eigen", "schrijver", "spreken"}


@lru_cache(maxsize=1)
def own_index() -> SearchIndex:
    """An index of this module's own: the tests swap its cue lists."""
    return SearchIndex(load_deck())


def shown(index: SearchIndex, cues: Cues, text: str) -> bool:
    index.cues = cues
    return bool(index.signals(text))


def _examples() -> list[Any]:
    return [
        pytest.param(name, example, id=f"{name}-{number}")
        for name, entries in RULES.data[CUES_SECTION].items()
        for number, example in enumerate(entries["voorbeelden"])
    ]


def test_every_list_is_read_by_the_code() -> None:
    assert set(RULES.data[CUES_SECTION]) == set(FIELDS)


@pytest.mark.parametrize(("name", "example"), _examples())
def test_list_changes_its_example_and_breaks_nothing(name: str, example: dict[str, str]) -> None:
    index = own_index()
    full = index.cues
    empty = frozenset() if name in WORD_SETS else CueList(frozenset(), frozenset(), frozenset())
    without = dataclasses.replace(full, **{FIELDS[name]: empty})
    try:
        assert shown(index, full, example["zin"]) != shown(index, without, example["zin"]), "de lijst verandert niets"
        assert shown(index, full, example["niet_breken"]) == shown(index, without, example["niet_breken"])
    finally:
        index.cues = full


def test_a_person_word_after_a_word_of_ones_own_is_no_person_in_a_case() -> None:
    cues = own_index().cues
    key = RULES.key
    assert cues.counts(RULES.all_words("haar zoon belt niet meer terug"), key).person == 2  # haar, zoon
    assert cues.counts(RULES.all_words("mijn zoon belt niet meer terug"), key).person == 0


def test_a_compound_counts_for_a_list_by_its_first_or_last_part() -> None:
    cues = own_index().cues
    key = RULES.key
    assert cues.counts(RULES.all_words("de raadsvergadering en de verjaardagstaart"), key).context == 2
    assert cues.counts(RULES.all_words("de raad en de taart"), key).context == 2
    assert cues.counts(RULES.all_words("de raadsman en de kattenbak"), key).context == 0  # "raad", "kat": too short


def test_a_person_and_a_case_word_count_when_they_share_a_sentence() -> None:
    cues = own_index().cues
    assert cues.sentences("mw zit al weken zonder stroom", {"stroom"}, RULES.all_words)[0] == 1
    assert cues.sentences("Het is al weken zonder stroom. Mw belt morgen", {"stroom"}, RULES.all_words)[0] == 0


def test_the_writers_voice_is_not_what_someone_else_said() -> None:
    cues = own_index().cues
    assert cues.sentences("ik heb mijn sleutels kwijt", set(), RULES.all_words)[1] == 2  # ik, mijn
    assert cues.sentences("ze zegt: ik heb mijn sleutels kwijt", set(), RULES.all_words)[1] == 0
    assert cues.sentences("ze zegt het. Ik heb mijn sleutels kwijt", set(), RULES.all_words)[1] == 2


def test_names_are_no_words_unknown_to_the_search() -> None:
    assert names("mevrouw Jansen uit Utrecht belt. Haar BSN klopt niet") == {"jansen", "utrecht", "bsn"}
    index = own_index()
    key = RULES.key
    words = ["jansen", "schulden"]
    assert index.cues.counts(words, key, index.analyzer.vocabulary).unknown == 1 / 2
    assert index.cues.counts(words, key, index.analyzer.vocabulary, names={"jansen"}).unknown == 0


def test_words_unknown_to_the_search_count_when_they_are_common_dutch() -> None:
    index = own_index()
    known = index.analyzer.vocabulary
    key = RULES.key
    # "slides" and "manager" are common Dutch the search has no key for; "wkn" (weken) and "grlpz" are no Dutch.
    assert index.cues.counts(["slides", "manager", "schulden"], key, known).unknown == 2 / 3
    assert index.cues.counts(["grlpz", "schulden"], key, known).unknown == 0
