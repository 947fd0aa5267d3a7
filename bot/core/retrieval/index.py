"""Find signals and arguments for a caseworker's own words.

An in-memory BM25 index over the deck, built at start-up, deterministic. Each card item is a document
with three fields: its own text (weight 1), its group title (weight GROUP_WEIGHT) and the caseworker
words and phrases for that item from content/kaartwoorden.yaml (weight ITEM_WORDS_WEIGHT, above the card
text: caseworkers write in those words, not the card's). Text is analysed by analysis.py (lemmas,
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

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from bot.core.deck import Deck
from bot.core.models import CardId, Stance
from bot.core.retrieval import cache, language_data
from bot.core.retrieval.analysis import Analyzer, Token, everyday, specialist, words
from bot.core.retrieval.arguments import (
    about_maatwerk,
    bridge_only_words,
    load_asking,
    load_bridge,
    rank_by_theme,
    with_bridge,
)
from bot.core.retrieval.lexicon import Synonyms, in_class, load_item_words, load_word_class, unordered
from bot.core.retrieval.relevance import PAIR_ZIPF, Cues, RelevanceModel, note_features
from bot.core.retrieval.rules import DEFAULT_RULES_PATH
from bot.core.retrieval.scoring import ArgumentResult, CardIndex, Hit, QueryTerm

CARDS: tuple[CardId, ...] = ("signalen", "argumenten")
SYNONYMS_FILE = "synoniemen.yaml"
ITEM_WORDS_FILE = "kaartwoorden.yaml"
ARGUMENT_WORDS_FILE = "argumentwoorden.yaml"
# A synonym counts this much of the word itself; several words of one concept add up to at most 1.
EXPANSION_WEIGHT = 0.2
# When the words find only one side, at most this many arguments of the same themes on the other side.
COUNTERPARTS = 3
# When no argument fits a text about maatwerk: this many nearest themes, this many arguments per side each.
CLOSEST_THEMES = 2
CLOSEST_PER_SIDE = 2
# An argument query of at most this many words (stop words aside) is a topic: general words count there.
TOPIC_WORDS = 3
# A phrase found in a text ("slaapt in de auto", "net niet voldoet") says more than its words do apart.
PHRASE_WEIGHT = 2.0
# A text of at most this many words (stop words included) is a search query, not a message.
QUERY_WORDS = 4
# How many distinct tokens keep their word class cached.
KIND_CACHE_SIZE = 50_000


class SearchIndex:
    """Signals and arguments for a text. Built from the deck, or loaded from the index cache of the same
    content version (cache.py): use_cache=False always builds; cache_dir overrides where the cache lives."""

    def __init__(self, deck: Deck, use_cache: bool = True, cache_dir: Path | None = None) -> None:
        path = None
        if use_cache:
            path = cache.cache_path(cache_dir or cache.default_cache_dir(), deck.content_dir, DEFAULT_RULES_PATH)
        state = cache.read(path) if path else None
        self.from_cache = state is not None and self._restore(deck, state)
        if not self.from_cache:
            self._build(deck)
            if path:
                cache.write(path, self._state())
        self._kinds = lru_cache(maxsize=KIND_CACHE_SIZE)(self._token_kind)
        self._indexed = frozenset(k for card in self._cards.values() for k in card.postings)
        self._related_indexed: dict[str, tuple[str, ...]] = {}
        self.note_model: RelevanceModel | None = None  # loaded on first use (train_relevance.py writes it)
        self._signal_docs_of: dict[str, frozenset[int]] = {}

    def _build(self, deck: Deck) -> None:
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
        # The plain-language bridge of the argument card (argumentwoorden.yaml) adds its phrases, but leaves the
        # vocabulary alone: compound splitting and typo correction, and so the signals, stay as they are.
        bridge_entries = load_bridge(deck.content_dir / ARGUMENT_WORDS_FILE, deck)
        bridge = with_bridge(item_words, bridge_entries)
        argument_words = {item.id: [item.tekst, *item_words.get(item.id, [])] for item in deck.items("argumenten")}
        self.bridge_words = bridge_only_words(bridge_entries, argument_words, self.analyzer)
        self.asking = load_asking(deck.content_dir / SYNONYMS_FILE, self.analyzer)
        self._cards: dict[CardId, CardIndex] = {
            "signalen": CardIndex.build(deck.items("signalen"), self.analyzer, item_words),
            "argumenten": CardIndex.build(deck.items("argumenten"), self.analyzer, bridge, remember=False),
        }

    def _state(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer.state(),
            "synonyms": self.synonyms.state(),
            "curated": sorted(self.curated),
            "office": sorted(self.office),
            "general": sorted(self.general),
            "bridge_words": sorted(self.bridge_words),
            "asking": sorted(self.asking),
            "cards": {
                card_id: {
                    "items": [item.id for item in card.items],
                    "postings": {term: [[doc, gain] for doc, gain in found] for term, found in card.postings.items()},
                }
                for card_id, card in self._cards.items()
            },
        }

    def _restore(self, deck: Deck, state: dict[str, Any]) -> bool:
        """Take the index from a cached state; False (and nothing usable) when it does not fit the deck."""
        try:
            self.analyzer = Analyzer.from_state(state["analyzer"])
            self.synonyms = Synonyms.from_state(state["synonyms"], self.analyzer)
            self.curated = {str(k) for k in state["curated"]}
            self.office = frozenset(str(k) for k in state["office"])
            self.general = frozenset(str(k) for k in state["general"])
            self.bridge_words = {str(k) for k in state["bridge_words"]}
            self.asking = {str(k) for k in state["asking"]}
            self._cards = {}
            for card_id in CARDS:
                card = state["cards"][card_id]
                items = deck.items(card_id)
                if [item.id for item in items] != card["items"]:
                    return False
                postings = {
                    str(term): [(int(doc), float(gain)) for doc, gain in found]
                    for term, found in card["postings"].items()
                }
                self._cards[card_id] = CardIndex(items, postings)
        except (KeyError, TypeError, ValueError, AttributeError):
            return False
        return True

    @cached_property
    def cues(self) -> Cues:
        """The word lists of the decision whether a text is a case note at all (content/tekstanalyse.yaml
        'relevantie'; the model is relevance_model.json). Their keys need the lemmatizer, so they are made at the
        first search (serve's warm-up), not at start-up."""
        return Cues.load(self.analyzer.rules.data, self.analyzer.rules.key)

    def warm(self) -> None:
        """Open the language data a first query needs (language_data.py: under a millisecond when its tables
        are in the cache directory, about two seconds to build them once) and run one query, e.g. right
        after a server starts from the index cache, instead of in the first answer."""
        language_data.open_all()
        self.signals("warm gedraaide huurachterstnd")  # misspelt: typo correction (rapidfuzz) loads too

    def query(self, text: str) -> list[QueryTerm]:
        """The weighted keys of a text: its own keys, then synonyms of each at a lower weight."""
        tokens: list[Token] = self.analyzer.tokens(text)
        kinds = [self._kind(token) for token in tokens]
        terms: dict[str, QueryTerm] = {}
        for token, (office, general, common_part) in zip(tokens, kinds, strict=True):
            # A compound's part ("gemeente" in "gemeentehuis") is too weak to stand alone as evidence.
            curated = token.key in self.curated and not token.part
            weight = PHRASE_WEIGHT if token.key in self.analyzer.phrases else 1.0
            terms.setdefault(token.key, QueryTerm(token.key, weight, token.word, curated, office, general, common_part))
        # Several words of one concept ("ziek", "chemo") add up, to at most the weight of the word itself.
        expansions: dict[str, QueryTerm] = {}
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
                expansions[related] = QueryTerm(related, weight, word, strong, office, general, common_part)
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
        office = in_class(token, self.office)
        general = unordered(token.key) in self.general
        return office, general, token.part and everyday(token.key)

    def signals(self, text: str, top: int = 5) -> list[Hit]:
        """The signals that clear the bar, when the text is a search query or a case note (the learned decision)."""
        text_words = self.analyzer.rules.all_words(text)
        hits, vector = self._note(text, text_words)
        if vector is None:
            return []
        if len(text_words) > QUERY_WORDS:
            if self.note_model is None:
                self.note_model = RelevanceModel.load()
            if not self.note_model.relevant(vector):
                return []
        return hits[:top]

    def _signal_docs(self, search_key: str, found: list[tuple[int, float]]) -> frozenset[int]:
        """The signals that have a key (cached per key: the keys are those of the index)."""
        docs = self._signal_docs_of.get(search_key)
        if docs is None:
            docs = self._signal_docs_of[search_key] = frozenset(doc for doc, _ in found)
        return docs

    def is_query(self, text: str) -> bool:
        """Whether a text is a search query ("grote schulden", "deurwaarder"), not a message: a query asks about
        its subject by itself, so the decision whether it is a case note does not apply."""
        return len(self.analyzer.rules.all_words(text)) <= QUERY_WORDS

    def note_features(self, text: str) -> tuple[list[Hit], list[float] | None]:
        """The signals that clear the bar (a score of RELEVANCE_THRESHOLD resting on evidence) and the features
        of the text for the decision whether it is a case note; no features when no signal clears the bar."""
        return self._note(text, self.analyzer.rules.all_words(text))

    def _note(self, text: str, text_words: list[str]) -> tuple[list[Hit], list[float] | None]:
        card = self._cards["signalen"]
        query = self.query(text)
        hits = card.rank(query)
        if not hits:
            return [], None
        best = next(doc for doc, item in enumerate(card.items) if item is hits[0].item)
        telling: set[str] = set()
        curated: set[str] = set()
        best_words: set[str] = set()  # the telling words of the best item, general words aside
        for term in query:
            found = card.postings.get(term.key)
            if not found or term.office or term.common_part:
                continue
            telling.add(term.word)
            if term.curated and not term.general:
                curated.add(term.word)
            if not term.general and best in self._signal_docs(term.key, found):
                best_words.add(term.word)
        rules = self.analyzer.rules
        rare = sum(not everyday(word, PAIR_ZIPF) for word in best_words)
        length = sum(1 for word in text_words if word not in rules.stopwords and len(word) > 1)  # as words()
        cues = self.cues.measure(text, text_words, rules, self.analyzer.vocabulary, curated)
        return hits, note_features([h.score for h in hits], telling, curated, rare, length, cues)

    def arguments(self, text: str, top: int = 5) -> ArgumentResult:
        """Arguments for and against, side by side. When the words find only one side, the other side
        shows the arguments of the same themes (COUNTERPARTS at most), marked as such: the card never
        gives one side without the other."""
        card = self._cards["argumenten"]
        query = self.query(text)
        # A short topic ("uitzondering", "regels en geld") asks about maatwerk by itself; in a longer
        # text a general word is as everyday as it is in a case note.
        ranked = rank_by_theme(card, query, self.bridge_words, general_is_evidence=len(words(text)) <= TOPIC_WORDS)
        voor = [h for h in ranked if h.item.stance is Stance.VOOR][:top]
        tegen = [h for h in ranked if h.item.stance is Stance.TEGEN][:top]
        if voor and not tegen:
            tegen = self._counterparts(card, query, voor, Stance.TEGEN, min(top, COUNTERPARTS))
        elif tegen and not voor:
            voor = self._counterparts(card, query, tegen, Stance.VOOR, min(top, COUNTERPARTS))
        elif not voor and not tegen:
            return self._closest_themes(card, query, top, asked=any(term.key in self.asking for term in query))
        return ArgumentResult(voor=voor, tegen=tegen)

    @staticmethod
    def _closest_themes(card: CardIndex, query: list[QueryTerm], top: int, asked: bool = False) -> ArgumentResult:
        """When no argument fits, but the text is about maatwerk (arguments.about_maatwerk: its words fit a
        cluster if the general words of maatwerk counted, and most of its words are words of the card), or
        it asks for arguments in so many words (`asked`: "de voor- en nadelen", "maatwerk"): the
        CLOSEST_THEMES nearest themes, each with its nearest arguments on both sides, marked as such.
        Text without either is not about maatwerk, and gets none."""
        relaxed = about_maatwerk(card, query)
        scores = card.raw_scores(query) | {h.item.id: h.score for h in relaxed}
        nearest = relaxed or (_by_score(card, scores) if asked else [])
        themes = list(dict.fromkeys(h.item.section for h in nearest))[:CLOSEST_THEMES]
        if not themes:
            return ArgumentResult(voor=[], tegen=[])
        sides: dict[Stance, list[Hit]] = {}
        for stance in (Stance.VOOR, Stance.TEGEN):
            found: list[Hit] = []
            for theme in themes:
                items = [item for item in card.items if item.stance is stance and item.section == theme]
                items.sort(key=lambda item: (-scores.get(item.id, 0.0), item.id))
                found += [Hit(item, scores.get(item.id, 0.0)) for item in items[:CLOSEST_PER_SIDE]]
            sides[stance] = found[:top]
        return ArgumentResult(voor=sides[Stance.VOOR], tegen=sides[Stance.TEGEN], closest=True)

    @staticmethod
    def _counterparts(
        card: CardIndex, query: list[QueryTerm], found: list[Hit], stance: Stance, limit: int
    ) -> list[Hit]:
        themes = list(dict.fromkeys(h.item.section for h in found))
        scores = card.raw_scores(query)
        others = [item for item in card.items if item.stance is stance and item.section in themes]
        others.sort(key=lambda item: (-scores.get(item.id, 0.0), themes.index(item.section), item.id))
        return [Hit(item, scores.get(item.id, 0.0), counterpart=True) for item in others[:limit]]


def _by_score(card: CardIndex, scores: dict[str, float]) -> list[Hit]:
    """The arguments the words touch at all, strongest first."""
    return sorted((Hit(item, scores[item.id]) for item in card.items if scores.get(item.id)), key=lambda h: -h.score)
