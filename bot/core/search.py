"""Find signals and arguments for a caseworker's own words.

An in-memory BM25 index over the deck, built at start-up, deterministic. Each card item is a document
with three fields: its own text (weight 1), its group title (weight GROUP_WEIGHT) and the caseworker
words and phrases for that item from content/kaartwoorden.yaml (weight ITEM_WORDS_WEIGHT, above the card
text: caseworkers write in those words, not the card's). Text is analysed by bot.core.text (lemmas,
Snowball stems, compound splitting, phrases). The query is expanded with the concept groups of
content/synoniemen.yaml at a lower weight; a phrase found in the text counts PHRASE_WEIGHT times, and an
item scores its STRONGEST_MATCHES best matches, so the many loose words of a long note do not lift broad
items above the one that fits. A result must reach RELEVANCE_THRESHOLD and rest on real evidence (a
curated word or phrase, a caseworker term that is rare in Dutch, or two words that are not everyday
Dutch), so text about something else returns nothing. Office words ("formulier", "afspraak") add to a
score but are never evidence; general words ("regel", "uitzondering") support evidence for signals but
are none, except in a short argument topic; an everyday part of a compound ("werk" in "thuiswerken") is
no half of a pair. The weights were chosen on the dev and earlier splits of tests/eval/ and checked on
splits written afterwards.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.core.deck import Deck, DeckError
from bot.core.models import CardId, CardItem, Stance
from bot.core.text import STOPWORDS, Analyzer, Token, everyday, key, phrase_words, specialist, words

SYNONYMS_FILE = "synoniemen.yaml"
ITEM_WORDS_FILE = "kaartwoorden.yaml"
GROUP_WEIGHT = 0.35
ITEM_WORDS_WEIGHT = 1.6
EXPANSION_WEIGHT = 0.2
RELEVANCE_THRESHOLD = 3.0
COUNTERPARTS = 3
# An item's score sums its this many best-matching terms (chosen on the splits up to fresh19).
STRONGEST_MATCHES = 5
# An argument query of at most this many words (stop words aside) is a topic: general words count there.
TOPIC_WORDS = 3
# Two matched words are evidence when both are rarer than this in Dutch (wordfreq Zipf): stricter than
# 'everyday' (5.3), so that two common words ("systeem" 5.0, "stuk" 5.2) do not make an office chat a case.
PAIR_ZIPF = 5.1
# A phrase found in a text ("slaapt in de auto", "net niet voldoet") says more than its words do apart.
PHRASE_WEIGHT = 2.0
K1 = 1.2
# How many distinct tokens keep their word class cached.
KIND_CACHE_SIZE = 50_000
B = 0.6
WORDS_B = 0.6


@dataclass(frozen=True)
class Hit:
    item: CardItem
    score: float
    matched: tuple[str, ...] = field(default_factory=tuple)
    # An argument from the other side of the same theme, shown so that voor and tegen always stand side
    # by side; the query's words did not find it.
    counterpart: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.item.id,
            "kaart": self.item.kaart,
            "groep": self.item.groep,
            "tekst": self.item.tekst,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class ArgumentResult:
    voor: list[Hit]
    tegen: list[Hit]

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        return {"voor": [h.to_json() for h in self.voor], "tegen": [h.to_json() for h in self.tegen]}

    @property
    def empty(self) -> bool:
        return not self.voor and not self.tegen


@dataclass(slots=True)  # not frozen: a query builds many, and frozen dataclasses are slow to build
class _QueryTerm:
    key: str
    weight: float
    word: str
    curated: bool
    office: bool = False
    general: bool = False  # one of the general words ("regel", "uitzondering")
    common_part: bool = False  # only from an everyday part of a compound ("werk" in "thuiswerken")


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
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        groups = [[str(entry) for entry in concept["woorden"]] for concept in data["begrippen"]]
        for concept, group in zip(data["begrippen"], groups, strict=True):
            _check_entries(path, str(concept["naam"]), group)
        return cls(groups, analyzer)

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


class _Field:
    """BM25 statistics of one field over the documents of one card."""

    def __init__(self, docs: list[list[str]], b: float = B) -> None:
        self.b = b
        self.tf = [Counter(doc) for doc in docs]
        self.length = [len(doc) for doc in docs]
        self.avg = (sum(self.length) / len(docs)) if docs else 1.0

    def score(self, doc: int, term: str, idf: float) -> float:
        freq = self.tf[doc].get(term, 0)
        if not freq:
            return 0.0
        norm = K1 * (1 - self.b + self.b * self.length[doc] / self.avg)
        return idf * freq * (K1 + 1) / (freq + norm)


def load_item_words(path: Path, deck: Deck) -> dict[str, list[str]]:
    """Caseworker words per card item (content/kaartwoorden.yaml); every id must exist in the deck."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words_by_item: dict[str, list[str]] = {}
    for section in data.values():
        for item_id, item_words in section.items():
            deck.item(item_id)  # KeyError for an id the deck does not have
            words_by_item[item_id] = [str(word) for word in item_words]
            _check_entries(path, item_id, words_by_item[item_id])
    return words_by_item


def load_word_class(path: Path, name: str) -> frozenset[str]:
    """The keys of a word class of content/synoniemen.yaml, without their word order.

    "kantoorwoorden": words that office talk uses as much as case notes ("formulier", "afspraak"); they
    add to a score but are never evidence. "algemene woorden": words of every case and of everyday talk
    ("regel", "uitzondering"); for signals they support evidence but are none, not even in pairs.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = [str(word) for word in data.get(name, [])]
    _check_entries(path, name, entries)
    analyzer = Analyzer()
    return frozenset(_unordered(k) for entry in entries for k in analyzer.entry_keys(entry))


def _unordered(search_key: str) -> str:
    """A phrase key without its word order: "melding maken" and "maakte melding" are one office phrase."""
    return " ".join(sorted(search_key.split()))


def _in_class(token: Token, word_class: frozenset[str]) -> bool:
    """Whether a token is a word of the class, or a phrase of such words and everyday words
    ("het nieuwe besluit", "een uitzondering maken")."""
    if _unordered(token.key) in word_class:
        return True
    if " " not in token.key:
        return False
    content = [word for word in token.word.split() if word not in STOPWORDS]  # a phrase's words are folded
    if len(content) < 2:
        return False
    other = [word for word in content if key(word) not in word_class]
    return len(other) < len(content) and all(everyday(word) for word in other)


def _check_entries(path: Path, where: str, entries: list[str]) -> None:
    """Every entry of a word list needs a word that is not a stop word, or it would match nothing
    (a lone 'iedereen') or almost anything (a phrase like 'te laat')."""
    for entry in entries:
        if all(word in STOPWORDS for word in phrase_words(entry)):
            raise DeckError(f"{path.name}: {where}: '{entry}' bestaat alleen uit stopwoorden")


class _CardIndex:
    def __init__(self, items: list[CardItem], analyzer: Analyzer, item_words: dict[str, list[str]]) -> None:
        self.items = items
        self.text = _Field([analyzer.keys(item.tekst) for item in items])
        self.group = _Field([analyzer.keys(item.groep) for item in items])
        self.words = _Field([analyzer.list_keys(item_words.get(item.id, [])) for item in items], b=WORDS_B)
        df: Counter[str] = Counter()
        for i in range(len(items)):
            df.update(set(self.text.tf[i]) | set(self.group.tf[i]) | set(self.words.tf[i]))
        n = len(items)
        self.idf = {term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()}

        # Postings: for every key, the items that have it and what it adds to their score (query-independent).
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for term, idf in self.idf.items():
            for doc in range(len(items)):
                gain = (
                    self.text.score(doc, term, idf)
                    + GROUP_WEIGHT * self.group.score(doc, term, idf)
                    + ITEM_WORDS_WEIGHT * self.words.score(doc, term, idf)
                )
                if gain:
                    self.postings[term].append((doc, gain))

    def raw_scores(self, query: list[_QueryTerm]) -> dict[str, float]:
        """Every item's score for a query, evidence or not, by item id."""
        gains: dict[int, list[float]] = defaultdict(list)
        for term in query:
            for doc, gain in self.postings.get(term.key, ()):
                gains[doc].append(term.weight * gain)
        return {self.items[doc].id: _strongest(found) for doc, found in gains.items()}

    def rank(self, query: list[_QueryTerm], general_is_evidence: bool = False) -> list[Hit]:
        gains: dict[int, list[float]] = defaultdict(list)
        matched: dict[int, dict[str, None]] = defaultdict(dict)
        telling: dict[int, dict[str, None]] = defaultdict(dict)  # matched words that may count as evidence
        curated: dict[int, set[str]] = defaultdict(set)
        general: dict[int, set[str]] = defaultdict(set)
        for term in query:
            for doc, gain in self.postings.get(term.key, ()):
                gains[doc].append(term.weight * gain)
                matched[doc][term.word] = None
                if not term.office and not term.common_part:
                    telling[doc][term.word] = None
                    if term.curated:
                        curated[doc].add(term.word)
                    if term.general and not general_is_evidence:
                        general[doc].add(term.word)
        scores = {doc: _strongest(found) for doc, found in gains.items()}
        hits = [
            Hit(self.items[doc], score, tuple(matched[doc]))
            for doc, score in scores.items()
            if score >= RELEVANCE_THRESHOLD and _is_evidence(telling[doc], curated[doc], general[doc])
        ]
        return sorted(hits, key=lambda h: (-h.score, h.item.id))


def _strongest(gains: list[float]) -> float:
    """An item's score: its STRONGEST_MATCHES best matches. A long note touches broad items with many
    loose words; that should not outweigh a few strong matches on the item that fits."""
    return sum(heapq.nlargest(STRONGEST_MATCHES, gains))


def _is_evidence(matched: dict[str, None], curated: set[str], general: set[str]) -> bool:
    """Whether the words an item shares with a text are evidence, not chance.

    A caseworker's term or phrase from content/ is, unless it is an everyday word ("jaar", "boos")
    standing alone; two words that are fairly rare in Dutch (below PAIR_ZIPF) are. Common words
    alone ("geeft", "tweede") are not, not even in pairs. General words (a subset of the matched
    words) only support: the evidence must hold without them.
    """
    own = [word for word in matched if word not in general]
    if any(not everyday(word) for word in curated - general):
        return True
    if curated and len(own) >= 2:
        return True
    return sum(not everyday(word, PAIR_ZIPF) for word in own) >= 2


class SearchIndex:
    def __init__(self, deck: Deck) -> None:
        self.analyzer = Analyzer()
        self.synonyms = Synonyms.load(deck.content_dir / SYNONYMS_FILE, self.analyzer)
        self.curated = self.synonyms.vocabulary()
        self.office = load_word_class(deck.content_dir / SYNONYMS_FILE, "kantoorwoorden")
        self.general = load_word_class(deck.content_dir / SYNONYMS_FILE, "algemene woorden")
        for item in deck.all_items():
            self.analyzer.learn(item.tekst)
            self.analyzer.learn(item.groep)
        item_words = load_item_words(deck.content_dir / ITEM_WORDS_FILE, deck)
        for entries in item_words.values():  # the whole vocabulary first: it decides how compounds split
            for entry in entries:
                self.analyzer.entry_keys(entry)
        self.curated.update(self.analyzer.phrases)  # a phrase is specific enough to count on its own
        # A caseworker's term that is rare in Dutch at large ("deurwaarder", "ombudsman") is specific enough too.
        self.curated.update(
            entry_key
            for entries in item_words.values()
            for entry in entries
            if specialist(entry)
            for entry_key in self.analyzer.entry_keys(entry)
        )
        self._kinds = lru_cache(maxsize=KIND_CACHE_SIZE)(self._token_kind)
        self._cards: dict[CardId, _CardIndex] = {
            card_id: _CardIndex(deck.items(card_id), self.analyzer, item_words)
            for card_id in ("signalen", "argumenten")
        }
        self._indexed = frozenset(k for card in self._cards.values() for k in card.postings)
        self._related_indexed: dict[str, tuple[str, ...]] = {}

    def query(self, text: str) -> list[_QueryTerm]:
        """The weighted keys of a text: its own keys, then synonyms of each at a lower weight."""
        tokens: list[Token] = self.analyzer.tokens(text)
        kinds = [self._kind(token) for token in tokens]
        terms: dict[str, _QueryTerm] = {}
        for token, (office, general, common_part) in zip(tokens, kinds, strict=True):
            # A compound's part ("gemeente" in "gemeentehuis") is too weak to stand alone as evidence.
            curated = token.key in self.curated and not token.part
            weight = PHRASE_WEIGHT if token.key in self.analyzer.phrases else 1.0
            terms.setdefault(
                token.key, _QueryTerm(token.key, weight, token.word, curated, office, general, common_part)
            )
        # Several words of one concept ("ziek", "chemo") add up, to at most the weight of the word itself.
        expansions: dict[str, _QueryTerm] = {}
        for token, (from_office, from_general, from_common_part) in zip(tokens, kinds, strict=True):
            from_weak = from_office or from_general
            for related in self._related(token.key):
                if related in terms:
                    continue
                known = expansions.get(related)
                weight = min(1.0, EXPANSION_WEIGHT + (known.weight if known else 0.0))
                known_weak = known is not None and (known.office or known.general)
                # Evidence only through a whole word that is no office word.
                strong = (not token.part and not from_office) or (known is not None and known.curated)
                # Office when every source is an office word; general when every source is weak.
                office = from_office and (known is None or known.office)
                general = not office and from_weak and (known is None or known_weak)
                # 'Why matched' names a source that is no office or general word, when there is one.
                word = known.word if known and (from_weak or not known_weak) else token.word
                common_part = from_common_part and (known is None or known.common_part)
                expansions[related] = _QueryTerm(related, weight, word, strong, office, general, common_part)
        return [*terms.values(), *expansions.values()]

    def _related(self, search_key: str) -> tuple[str, ...]:
        """The synonyms of a key that some card item has: the others cannot change a score."""
        found = self._related_indexed.get(search_key)
        if found is None:
            related = self.synonyms.related_sorted(search_key)
            found = self._related_indexed[search_key] = tuple(k for k in related if k in self._indexed)
        return found

    def _kind(self, token: Token) -> tuple[bool, bool, bool]:
        """Whether a token is an office word (or office phrase), a general word (not its phrases:
        "probleem komt terug" says more than "probleem"), and an everyday part of a compound.
        Cached per token (an LRU: tokens repeat across notes)."""
        return self._kinds(token)

    def _token_kind(self, token: Token) -> tuple[bool, bool, bool]:
        office = _in_class(token, self.office)
        general = _unordered(token.key) in self.general
        return office, general, token.part and everyday(token.key)

    def signals(self, text: str, top: int = 5) -> list[Hit]:
        return self._cards["signalen"].rank(self.query(text))[:top]

    def arguments(self, text: str, top: int = 5) -> ArgumentResult:
        """Arguments for and against, side by side. When the words find only one side, the other side
        shows the arguments of the same themes (COUNTERPARTS at most), marked as such: the card never
        gives one side without the other."""
        card = self._cards["argumenten"]
        query = self.query(text)
        # A short topic ("uitzondering", "regels en geld") asks about maatwerk by itself; in a longer
        # text a general word is as everyday as it is in a case note.
        ranked = card.rank(query, general_is_evidence=len(words(text)) <= TOPIC_WORDS)
        voor = [h for h in ranked if h.item.stance is Stance.VOOR][:top]
        tegen = [h for h in ranked if h.item.stance is Stance.TEGEN][:top]
        if voor and not tegen:
            tegen = self._counterparts(card, query, voor, Stance.TEGEN, min(top, COUNTERPARTS))
        elif tegen and not voor:
            voor = self._counterparts(card, query, tegen, Stance.VOOR, min(top, COUNTERPARTS))
        return ArgumentResult(voor=voor, tegen=tegen)

    @staticmethod
    def _counterparts(
        card: _CardIndex, query: list[_QueryTerm], found: list[Hit], stance: Stance, limit: int
    ) -> list[Hit]:
        themes = list(dict.fromkeys(h.item.section for h in found))
        scores = card.raw_scores(query)
        others = [item for item in card.items if item.stance is stance and item.section in themes]
        others.sort(key=lambda item: (-scores.get(item.id, 0.0), themes.index(item.section), item.id))
        return [Hit(item, scores.get(item.id, 0.0), counterpart=True) for item in others[:limit]]
