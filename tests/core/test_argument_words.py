"""Every entry of content/argumentwoorden.yaml fixes its question and leaves its counter-example alone.

'vraag' must get one of the entry's arguments into the first five with the entry, and higher than without it
(an entry that changes nothing is deleted); 'niet_breken' must get the same arguments with and without it.
"""

import copy
from functools import cache

import pytest

from bot.core.deck import load_deck
from bot.core.retrieval.arguments import BridgeEntry, load_bridge, with_bridge
from bot.core.retrieval.index import ARGUMENT_WORDS_FILE, ITEM_WORDS_FILE
from bot.core.retrieval.lexicon import load_item_words
from bot.core.retrieval.scoring import CardIndex
from bot.core.search import SearchIndex

DECK = load_deck()
BRIDGE = load_bridge(DECK.content_dir / ARGUMENT_WORDS_FILE, DECK)


@cache
def index() -> SearchIndex:
    return SearchIndex(DECK, use_cache=False)


def without(number: int) -> SearchIndex:
    """The index with the argument card built without one entry of the bridge."""
    item_words = load_item_words(DECK.content_dir / ITEM_WORDS_FILE, DECK)
    others = [entry for i, entry in enumerate(BRIDGE) if i != number]
    card = CardIndex.build(DECK.items("argumenten"), index().analyzer, with_bridge(item_words, others), remember=False)
    reduced = copy.copy(index())
    reduced._cards = {**index()._cards, "argumenten": card}
    return reduced


def hits(search: SearchIndex, text: str) -> list[tuple[str, float]]:
    result = search.arguments(text, top=10)
    return [(hit.item.id, hit.score) for hit in sorted([*result.voor, *result.tegen], key=lambda h: -h.score)]


def ranked(search: SearchIndex, text: str) -> list[str]:
    return [item_id for item_id, _ in hits(search, text)]


def best(found: list[tuple[str, float]], wanted: tuple[str, ...]) -> tuple[int, float]:
    """The rank of the first wanted argument (past the end when none) and minus its score: lower is better."""
    return next(((i, -score) for i, (item_id, score) in enumerate(found) if item_id in wanted), (len(found) + 100, 0.0))


@pytest.mark.parametrize("number", range(len(BRIDGE)), ids=[", ".join(e.arguments) for e in BRIDGE])
def test_entry_fixes_its_question_and_breaks_nothing(number: int) -> None:
    entry: BridgeEntry = BRIDGE[number]
    reduced = without(number)
    with_entry = best(hits(index(), entry.question), entry.arguments)
    assert with_entry[0] < 5, "de vraag krijgt zijn argument niet bij de eerste vijf"
    assert with_entry < best(hits(reduced, entry.question), entry.arguments), "de regel verandert niets"
    assert ranked(index(), entry.keep) == ranked(reduced, entry.keep)


def test_the_bridge_leaves_the_vocabulary_and_so_the_signals_alone() -> None:
    plain = copy.copy(index())
    assert "rompslomp" not in plain.analyzer.vocabulary
    assert "rompslomp" in {k for found in BRIDGE for k in found.words}


def test_a_question_that_asks_for_both_sides_gets_the_closest_themes_with_both() -> None:
    result = index().arguments("wat zijn de voor- en nadelen van maatwerk voor de inwoner?")
    assert result.closest
    assert result.voor
    assert result.tegen


def test_a_plain_question_about_maatwerk_is_not_silently_empty() -> None:
    result = index().arguments("het idee dat hij het zelf niet kan")
    assert result.voor
    assert result.tegen
    assert "A-11" in [hit.item.id for hit in result.tegen]


def test_text_about_something_else_gets_no_arguments() -> None:
    for text in ("hoe laat gaat de kantine open?", "kun je uitzoeken hoe laat de trein naar Utrecht gaat?"):
        assert index().arguments(text).empty, text
