"""BM25 over the card items, with three fields per item, and the results it returns."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.core.models import CardItem
from bot.core.retrieval.analysis import Analyzer
from bot.core.retrieval.relevance import RELEVANCE_THRESHOLD, is_evidence

# Field weights: the group title says less than the item's own text; the caseworker words of
# kaartwoorden.yaml say more (caseworkers write in those words, not the card's).
GROUP_WEIGHT = 0.35
ITEM_WORDS_WEIGHT = 1.6
# BM25 saturation and length normalisation (text and group fields; the word lists).
K1 = 1.2
B = 0.6
WORDS_B = 0.6
# An item's score sums its this many best-matching terms (chosen on the splits up to fresh19).
STRONGEST_MATCHES = 5


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
    # No argument fitted the words, but the text is about maatwerk: these are the closest themes, both sides.
    closest: bool = False

    def themes(self) -> list[tuple[str, list[Hit], list[Hit]]]:
        """Voor and tegen per theme, the theme with the strongest argument first (for one block per theme)."""
        best: dict[str, float] = {}
        for hit in [*self.voor, *self.tegen]:
            best[hit.item.section] = max(best.get(hit.item.section, 0.0), hit.score)
        order = sorted(best, key=lambda theme: -best[theme])
        return [
            (
                theme,
                [h for h in self.voor if h.item.section == theme],
                [h for h in self.tegen if h.item.section == theme],
            )
            for theme in order
        ]

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        return {"voor": [h.to_json() for h in self.voor], "tegen": [h.to_json() for h in self.tegen]}

    @property
    def empty(self) -> bool:
        return not self.voor and not self.tegen


@dataclass(slots=True)  # not frozen: a query builds many, and frozen dataclasses are slow to build
class QueryTerm:
    key: str
    weight: float
    word: str
    curated: bool
    office: bool = False
    general: bool = False  # one of the general words ("regel", "uitzondering")
    common_part: bool = False  # only from an everyday part of a compound ("werk" in "thuiswerken")


class Field:
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


class CardIndex:
    """The items of one card and, for every key, the items that have it with what it adds to their
    score (query-independent postings)."""

    def __init__(self, items: list[CardItem], postings: dict[str, list[tuple[int, float]]]) -> None:
        self.items = items
        self.postings = postings

    @classmethod
    def build(
        cls, items: list[CardItem], analyzer: Analyzer, item_words: dict[str, list[str]], remember: bool = True
    ) -> CardIndex:
        text = Field([analyzer.keys(item.tekst) for item in items])
        group = Field([analyzer.keys(item.groep) for item in items])
        words = Field([analyzer.list_keys(item_words.get(item.id, []), remember) for item in items], b=WORDS_B)
        df: Counter[str] = Counter()
        for i in range(len(items)):
            df.update(set(text.tf[i]) | set(group.tf[i]) | set(words.tf[i]))
        n = len(items)
        idf = {term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for term, term_idf in idf.items():
            for doc in range(n):
                gain = (
                    text.score(doc, term, term_idf)
                    + GROUP_WEIGHT * group.score(doc, term, term_idf)
                    + ITEM_WORDS_WEIGHT * words.score(doc, term, term_idf)
                )
                if gain:
                    postings[term].append((doc, gain))
        return cls(items, dict(postings))

    def raw_scores(self, query: list[QueryTerm]) -> dict[str, float]:
        """Every item's score for a query, evidence or not, by item id."""
        gains: dict[int, list[float]] = defaultdict(list)
        for term in query:
            for doc, gain in self.postings.get(term.key, ()):
                gains[doc].append(term.weight * gain)
        return {self.items[doc].id: _strongest(found) for doc, found in gains.items()}

    def rank(self, query: list[QueryTerm], general_is_evidence: bool = False) -> list[Hit]:
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
            if score >= RELEVANCE_THRESHOLD and is_evidence(telling[doc], curated[doc], general[doc])
        ]
        return sorted(hits, key=lambda h: (-h.score, h.item.id))


def _strongest(gains: list[float]) -> float:
    """An item's score: its STRONGEST_MATCHES best matches. A long note touches broad items with many
    loose words; that should not outweigh a few strong matches on the item that fits."""
    return sum(heapq.nlargest(STRONGEST_MATCHES, gains))
