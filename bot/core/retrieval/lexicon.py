"""The word lists of content/: concept groups (synoniemen.yaml), caseworker words per card item
(kaartwoorden.yaml) and the word classes (office words, general words), loaded and checked."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from bot.core.deck import Deck, DeckError
from bot.core.retrieval.analysis import STOPWORDS, Analyzer, Token, everyday, key, phrase_words
from bot.core.retrieval.rules import YAML_LOADER


class Synonyms:
    """Concept groups: every word or phrase of a group calls up the others when searching."""

    def __init__(self, groups: list[list[str]], analyzer: Analyzer | None = None) -> None:
        self.analyzer = analyzer or Analyzer()
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._sorted: dict[str, tuple[str, ...]] = {}
        for group in groups:
            keys = {k for entry in group for k in self.analyzer.entry_keys(entry)}
            for k in keys:
                self._by_key[k] |= keys

    @classmethod
    def load(cls, path: Path, analyzer: Analyzer | None = None) -> Synonyms:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        groups = [[str(entry) for entry in concept["woorden"]] for concept in data["begrippen"]]
        for concept, group in zip(data["begrippen"], groups, strict=True):
            check_entries(path, str(concept["naam"]), group)
        return cls(groups, analyzer)

    def state(self) -> dict[str, list[str]]:
        """The concept groups by key, as plain data (for the index cache)."""
        return {k: sorted(related) for k, related in self._by_key.items()}

    @classmethod
    def from_state(cls, state: dict[str, list[str]], analyzer: Analyzer) -> Synonyms:
        synonyms = cls([], analyzer)
        for k, related in state.items():
            synonyms._by_key[str(k)] = {str(r) for r in related}
        return synonyms

    def related(self, search_key: str) -> set[str]:
        return self._by_key.get(search_key, set()) - {search_key}

    def related_sorted(self, search_key: str) -> tuple[str, ...]:
        """related(), in a fixed order; computed once per key."""
        found = self._sorted.get(search_key)
        if found is None:
            found = self._sorted[search_key] = tuple(sorted(self.related(search_key)))
        return found

    def vocabulary(self) -> set[str]:
        return set(self._by_key)


def load_item_words(path: Path, deck: Deck) -> dict[str, list[str]]:
    """Caseworker words per card item (content/kaartwoorden.yaml); every id must exist in the deck."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    words_by_item: dict[str, list[str]] = {}
    for section in data.values():
        for item_id, item_words in section.items():
            deck.item(item_id)  # KeyError for an id the deck does not have
            words_by_item[item_id] = [str(word) for word in item_words]
            check_entries(path, item_id, words_by_item[item_id])
    return words_by_item


def load_word_class(path: Path, name: str) -> frozenset[str]:
    """The keys of a word class of content/synoniemen.yaml, without their word order.

    "kantoorwoorden": words that office talk uses as much as case notes ("formulier", "afspraak"); they
    add to a score but are never evidence. "algemene woorden": words of every case and of everyday talk
    ("regel", "uitzondering"); for signals they support evidence but are none, not even in pairs.
    """
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    entries = [str(word) for word in data.get(name, [])]
    check_entries(path, name, entries)
    analyzer = Analyzer()
    return frozenset(unordered(k) for entry in entries for k in analyzer.entry_keys(entry))


def unordered(search_key: str) -> str:
    """A phrase key without its word order: "melding maken" and "maakte melding" are one office phrase."""
    return " ".join(sorted(search_key.split()))


def in_class(token: Token, word_class: frozenset[str]) -> bool:
    """Whether a token is a word of the class, or a phrase of such words and everyday words
    ("het nieuwe besluit", "een uitzondering maken")."""
    if unordered(token.key) in word_class:
        return True
    if " " not in token.key:
        return False
    content = [word for word in token.word.split() if word not in STOPWORDS]  # a phrase's words are folded
    if len(content) < 2:
        return False
    other = [word for word in content if key(word) not in word_class]
    return len(other) < len(content) and all(everyday(word) for word in other)


def check_entries(path: Path, where: str, entries: list[str]) -> None:
    """Every entry of a word list needs a word that is not a stop word, or it would match nothing
    (a lone 'iedereen') or almost anything (a phrase like 'te laat')."""
    for entry in entries:
        if all(word in STOPWORDS for word in phrase_words(entry)):
            raise DeckError(f"{path.name}: {where}: '{entry}' bestaat alleen uit stopwoorden")
