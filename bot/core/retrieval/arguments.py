"""Arguments by theme: the clusters of the argument card that fit a question, then their arguments.

A cluster is one group of the card ("Maatwerk is kostbaar", "Maatwerk is onrechtvaardig"): two to four
arguments about one concern. A cluster fits when one of its arguments rests on evidence (relevance.is_evidence,
plus: a phrase of the word lists counts on its own, because plain language names a concern in everyday words,
"te weinig mensen", "komt weer terug"); its arguments that the words touch are then ranked by the cluster's
pooled score (THEME_WEIGHT) plus their own. Plain words reach the card through content/argumentwoorden.yaml,
the bridge, which adds words to the arguments without changing the vocabulary the signals use. When nothing
fits, about_maatwerk decides whether the text is about maatwerk at all (then the closest themes are shown).
The constants were chosen by leave-one-split-out cross-validation over the non-frozen argument splits and the
unrelated texts (tests/eval/tune_arguments.py).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.deck import Deck, DeckError
from bot.core.retrieval.analysis import STOPWORDS, Analyzer
from bot.core.retrieval.lexicon import check_entries
from bot.core.retrieval.relevance import RELEVANCE_THRESHOLD, is_evidence
from bot.core.retrieval.scoring import STRONGEST_MATCHES, CardIndex, Hit, QueryTerm

# How much the cluster's pooled score counts in an argument's score (its own match counts 1); 0, 0.5, 1 and 2
# were tried: 0 and 1 are equally good, 1 has the higher MRR on the questions.
THEME_WEIGHT = 1.0
# Whether the argument that holds a cluster's evidence must reach RELEVANCE_THRESHOLD by itself (else the
# cluster's pooled score is enough): it keeps 2 to 3 % more unrelated texts out at no cost to the questions.
OWN_SCORE = True
# How many words other than stop words a phrase of the word lists needs to be evidence on its own (1: "weer
# terug"; 2 kept out one more unrelated text of 266 and lost two plain questions).
PHRASE_CONTENT_WORDS = 1
# A text is about maatwerk (and gets the closest themes when no argument fits) when a cluster would fit it
# if general and bridge words counted, with at least this score, and at least this share of its words are
# words of the argument card (or their synonyms): "regels voor het parkeren bij het stadhuis" is not.
CLOSEST_MIN_SCORE = 3.0
CLOSEST_MIN_COVERAGE = 0.7


@dataclass(frozen=True)
class BridgeEntry:
    """Plain words for some arguments (content/argumentwoorden.yaml), with the question they fix and a
    text they must leave alone."""

    arguments: tuple[str, ...]
    words: tuple[str, ...]
    question: str
    keep: str


def load_bridge(path: Path, deck: Deck) -> list[BridgeEntry]:
    """The plain-language bridge to the argument card; every id must be an argument of the deck."""
    entries = []
    for number, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
        entry = BridgeEntry(
            tuple(str(i) for i in raw["argumenten"]),
            tuple(str(w) for w in raw["woorden"]),
            str(raw["vraag"]),
            str(raw["niet_breken"]),
        )
        for item_id in entry.arguments:
            if deck.item(item_id).kaart != "argumenten":
                raise DeckError(f"{path.name}: regel {number + 1}: {item_id} is geen argument")
        check_entries(path, ", ".join(entry.arguments), list(entry.words))
        entries.append(entry)
    return entries


def load_asking(path: Path, analyzer: Analyzer) -> set[str]:
    """The keys of the words that ask for arguments ("vraagt om argumenten" in content/synoniemen.yaml), their
    phrases known to the analyzer so that a text has them; its vocabulary is left alone."""
    entries = [str(entry) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["vraagt om argumenten"]]
    check_entries(path, "vraagt om argumenten", entries)
    return {k for entry in entries for k in analyzer.entry_keys(entry, remember=False)}


def with_bridge(item_words: dict[str, list[str]], bridge: list[BridgeEntry]) -> dict[str, list[str]]:
    """The caseworker words per item, with the bridge's words added to the arguments they name."""
    merged = {item_id: list(found) for item_id, found in item_words.items()}
    for entry in bridge:
        for item_id in entry.arguments:
            listed = merged.setdefault(item_id, [])
            listed.extend(word for word in entry.words if word not in listed)  # a word twice would weigh double
    return merged


def bridge_only_words(bridge: list[BridgeEntry], item_words: dict[str, list[str]], analyzer: Analyzer) -> set[str]:
    """The keys of the bridge's single words that no argument has in its text or word list (`item_words`):
    they add to a score, but like the general words they are no evidence ("afgesloten" road, "dossiers" in an
    archive), also where they are evidence for a signal; the bridge's phrases are."""
    listed = {k for entries in item_words.values() for entry in entries for k in analyzer.keys(entry)}
    single = {analyzer.rules.key(word) for entry in bridge for word in entry.words if " " not in word.strip()}
    return single - listed


def strongest(gains: list[float]) -> float:
    """A score from its STRONGEST_MATCHES best gains, as for an item (scoring.py)."""
    return sum(heapq.nlargest(STRONGEST_MATCHES, gains))


@dataclass
class _Theme:
    """What the words of a question share with one cluster, or with one argument."""

    best: dict[str, float] = field(default_factory=dict)  # per query key, its best gain in the cluster
    telling: dict[str, None] = field(default_factory=dict)
    curated: set[str] = field(default_factory=set)
    general: set[str] = field(default_factory=set)

    def add(self, term: QueryTerm, gain: float, weak: set[str], general_is_evidence: bool) -> None:
        self.best[term.key] = max(self.best.get(term.key, 0.0), gain)
        if term.office or term.common_part:
            return
        self.telling[term.word] = None
        if term.curated or " " in term.key:  # a phrase key comes from the word lists of content/
            self.curated.add(term.word)
        if (term.general and not general_is_evidence) or term.key in weak:
            self.general.add(term.word)

    def score(self) -> float:
        return strongest(list(self.best.values()))

    def evidence(self) -> bool:
        """The rule for signals, and one more: a caseworker phrase of the cluster ("te weinig mensen",
        "komt weer terug") counts on its own even when its words are everyday Dutch. Whoever asks for
        arguments asks about maatwerk already; a phrase is how plain language names a concern."""
        if any(_content_words(word) >= PHRASE_CONTENT_WORDS for word in self.curated - self.general):
            return True
        return is_evidence(self.telling, self.curated, self.general)


def _content_words(phrase: str) -> int:
    return sum(word not in STOPWORDS for word in phrase.split()) if " " in phrase else 0


def rank_by_theme(
    card: CardIndex, query: list[QueryTerm], weak: set[str], general_is_evidence: bool = False
) -> list[Hit]:
    """The arguments of every cluster that fits the words, strongest first. A cluster fits when one of its
    arguments rests on evidence by itself and the cluster's pooled score reaches the threshold; its arguments
    that the words touch are shown, each scored THEME_WEIGHT times the cluster's score plus its own (showing
    its untouched arguments too ranked a little worse). Words whose key is in `weak` (bridge_only_words)
    support evidence but are none. (Evidence pooled over a cluster's arguments was tried for questions of
    up to 5, 8, 12 words: it changed no question of the tuning splits and let more unrelated texts in.)"""
    own: dict[int, list[float]] = defaultdict(list)
    matched: dict[int, dict[str, None]] = defaultdict(dict)
    themes: dict[str, _Theme] = defaultdict(_Theme)
    alone: dict[int, _Theme] = defaultdict(_Theme)
    for term in query:
        for doc, gain in card.postings.get(term.key, ()):
            weighted = term.weight * gain
            own[doc].append(weighted)
            matched[doc][term.word] = None
            themes[card.items[doc].group_id].add(term, weighted, weak, general_is_evidence)
            alone[doc].add(term, weighted, weak, general_is_evidence)
    held = {
        card.items[doc].group_id
        for doc, theme in alone.items()
        if theme.evidence() and (not OWN_SCORE or theme.score() >= RELEVANCE_THRESHOLD)
    }
    fitting = {group: themes[group].score() for group in held if themes[group].score() >= RELEVANCE_THRESHOLD}
    hits = [
        Hit(item, THEME_WEIGHT * fitting[item.group_id] + strongest(own.get(doc, [])), tuple(matched.get(doc, {})))
        for doc, item in enumerate(card.items)
        if item.group_id in fitting and doc in own
    ]
    return sorted(hits, key=lambda h: (-h.score, h.item.id))


def coverage(card: CardIndex, query: list[QueryTerm]) -> float:
    """The share of a text's words (not its phrases) that the argument card has, or a synonym of them."""
    own = {term.word for term in query if " " not in term.word}
    found = {term.word for term in query if " " not in term.word and term.key in card.postings}
    return len(found) / len(own) if own else 0.0


def about_maatwerk(card: CardIndex, query: list[QueryTerm]) -> list[Hit]:
    """The arguments of the clusters a text would fit if general and bridge words counted as evidence, when
    the text is about maatwerk (CLOSEST_MIN_SCORE, CLOSEST_MIN_COVERAGE); none when it is not."""
    relaxed = [h for h in rank_by_theme(card, query, set(), general_is_evidence=True) if h.score >= CLOSEST_MIN_SCORE]
    if not relaxed or coverage(card, query) < CLOSEST_MIN_COVERAGE:
        return []
    return relaxed
