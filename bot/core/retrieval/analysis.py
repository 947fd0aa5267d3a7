"""Dutch text analysis for search: normalise, tokenise, lemmatise + stem, split compounds, find phrases.

Lemmas come from simplemma (overleed -> overlijden, schulden -> schuld), stems from the original
Snowball Dutch (Porter) stemmer in PyStemmer; the newer 'dutch' stemmer strips ge- (gezin -> zin).
So inflections and spelling variants meet on one key. Compounds (huurachterstand,
schuldhulpverlening) are split against a vocabulary of known keys (compounds.py), because Dutch writes
them as one word and a caseworker's compound rarely appears on the card as such. The language rules
(stop words, lemmas kept apart, chat forms, idioms) are data: content/tekstanalyse.yaml, read by rules.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.core.retrieval.compounds import MIN_PART, split_compound
from bot.core.retrieval.frequency import everyday, specialist, zipf
from bot.core.retrieval.phrases import phrase_at
from bot.core.retrieval.rules import RULES, TextRules, fold

__all__ = ["STOPWORDS", "Analyzer", "Token", "everyday", "fold", "key", "phrase_words", "specialist", "words", "zipf"]

# The default rules, by the names the rest of the search uses.
STOPWORDS = RULES.stopwords
ARTICLES = RULES.articles
key = RULES.key
words = RULES.words
phrase_words = RULES.phrase_words
# The words of a phrase may stand this many words apart beyond the phrase's own length, in any order:
# Dutch moves verbs around ("wakker liggen", "ligt 's nachts wakker").
PHRASE_SLACK = 4
# Typos: words of at least MIN_TYPO_LENGTH letters may be TYPO_DISTANCE edits from a known word,
# one more from LONG_WORD letters on.
MIN_TYPO_LENGTH = 6
TYPO_DISTANCE = 1
LONG_WORD = 10
# How many distinct words keep their analysis (spelling, key, compound parts) cached.
WORD_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class Token:
    """A search key with the word of the text it came from (for 'why matched')."""

    key: str
    word: str
    part: bool = False  # a part of a compound, not the whole word


class Analyzer:
    """Turns text into keys; knows the vocabulary so it can split compounds into known parts,
    and the phrases of content/ so it can find them in a text as one key."""

    def __init__(self, vocabulary: Iterable[str] = (), rules: TextRules = RULES) -> None:
        self.rules = rules
        self.vocabulary: set[str] = set(vocabulary)
        self.phrases: dict[str, tuple[str, ...]] = {}
        self._phrase_counts: dict[str, Counter[str]] = {}
        self._phrases_by_anchor: dict[str, list[str]] = {}  # by a key every text with the phrase has
        self._known_words: set[str] = set()
        self._spelling: list[str] | None = None  # sorted known words, built on first use
        # A word's spelling correction, key and compound parts depend only on the word and the
        # vocabulary: cached per word (an LRU), emptied whenever the vocabulary grows.
        self._analyse = lru_cache(maxsize=WORD_CACHE_SIZE)(self._analyse_word)

    def entry_keys(self, entry: str, remember: bool = True) -> list[str]:
        """The keys of one entry of a word list: a single word's key, or one key for a phrase.

        A phrase ("wakker liggen", "kastje naar de muur") means something its words alone do not,
        so it becomes one key that a text only has when all its words stand close together.
        remember=False leaves the vocabulary (compound splitting, typo correction) as it is.
        """
        entry_words = self.rules.phrase_words(entry)
        if remember:
            self._remember(word for word in entry_words if word not in self.rules.stopwords)
        if len(entry_words) < 2:
            return [self.rules.key(word) for word in entry_words if word not in self.rules.stopwords]
        keys = tuple(self.rules.phrase_word_key(word) for word in entry_words)
        phrase_key = " ".join(keys)
        if phrase_key not in self.phrases:
            self._add_phrase(phrase_key, keys)
        return [phrase_key]

    def _add_phrase(self, phrase_key: str, keys: tuple[str, ...]) -> None:
        self.phrases[phrase_key] = keys
        self._phrase_counts[phrase_key] = Counter(keys)
        anchor = next((k for k in keys if k not in self.rules.stopwords), keys[0])  # stop words are everywhere
        self._phrases_by_anchor.setdefault(anchor, []).append(phrase_key)

    def state(self) -> dict[str, object]:
        """What the analyzer learnt from the deck, as plain data (for the index cache)."""
        return {
            "vocabulary": sorted(self.vocabulary),
            "known_words": sorted(self._known_words),
            "phrases": {phrase_key: list(keys) for phrase_key, keys in self.phrases.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], rules: TextRules = RULES) -> Analyzer:
        analyzer = cls(map(str, state["vocabulary"]), rules)
        analyzer._known_words = {str(word) for word in state["known_words"]}
        for phrase_key, keys in state["phrases"].items():
            analyzer._add_phrase(str(phrase_key), tuple(str(k) for k in keys))
        return analyzer

    def learn(self, text: str) -> None:
        """Add the keys of a text to the vocabulary used for compound splitting."""
        self._remember(self.rules.words(text))

    def _remember(self, known: Iterable[str]) -> None:
        for word in known:
            self._known_words.add(word)
            self.vocabulary.add(self.rules.key(word))
        self._spelling = None
        self._analyse.cache_clear()

    def _analyse_word(self, word: str) -> tuple[str, tuple[str, ...]]:
        """A word's key after spelling correction, and the keys of its compound parts other than that key."""
        spelt = self.correct(word)
        word_key = self.rules.key(spelt)
        if len(spelt) < 2 * MIN_PART:
            return word_key, ()
        return word_key, tuple(part for part in self.split(spelt) if part != word_key)

    def correct(self, word: str) -> str:
        """A misspelt word replaced by the known word it most likely means ('deurwaader' -> 'deurwaarder').

        Only words unknown both to the deck's vocabulary and to Dutch at large (wordfreq) are corrected,
        and only to a known word at most TYPO_DISTANCE edits away (one more for long words).
        """
        if len(word) < MIN_TYPO_LENGTH or self.rules.key(word) in self.vocabulary or zipf(word) > 0:
            return word
        # Imported at the first unknown word, not at every start (a server warms up with one).
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        if self._spelling is None:
            self._spelling = sorted(self._known_words)
        cutoff = TYPO_DISTANCE + (len(word) >= LONG_WORD)
        found = process.extractOne(word, self._spelling, scorer=Levenshtein.distance, score_cutoff=cutoff)
        return str(found[0]) if found else word

    def list_keys(self, entries: Iterable[str], remember: bool = True) -> list[str]:
        """The keys of a word list as a document: words with their compound parts, phrases as one key."""
        out: list[str] = []
        for entry in entries:
            single = len(self.rules.phrase_words(entry)) < 2
            out.extend(self.keys(entry) if single else self.entry_keys(entry, remember))
        return out

    def tokens(self, text: str) -> list[Token]:
        out: list[Token] = []
        positions: dict[str, list[int]] = {}
        text_words = self.rules.phrase_words(text)
        compounds: list[tuple[str, Counter[str]]] = []
        for position, word in enumerate(text_words):
            if word in self.rules.stopwords:
                positions.setdefault(word, []).append(position)
                continue
            word_key, parts = self._analyse(word)
            out.append(Token(word_key, word))
            positions.setdefault(word_key, []).append(position)
            if parts:
                out.extend(Token(part, word, part=True) for part in parts)
                compounds.append((word, Counter(parts)))
        found_keys: set[str] = set()
        candidates = [phrase for k in positions for phrase in self._phrases_by_anchor.get(k, ())]
        for phrase_key in sorted(candidates):
            keys = self.phrases[phrase_key]
            found = phrase_at(self._phrase_counts[phrase_key], positions, len(keys) + PHRASE_SLACK)
            if found is not None:
                found_keys.add(phrase_key)
                out.append(Token(phrase_key, " ".join(text_words[position] for position in found)))
        # A compound's parts make a phrase only together ("vooruitkijken" is "vooruit kijken"); one part
        # with the words around it does not ("schooljaar al" is no "al jaren").
        for word, part_counts in compounds:
            anchored = {p for part in part_counts for p in self._phrases_by_anchor.get(part, ())}
            for phrase_key in sorted(anchored):
                if phrase_key not in found_keys and not self._phrase_counts[phrase_key] - part_counts:
                    found_keys.add(phrase_key)
                    out.append(Token(phrase_key, word))
        return out

    def keys(self, text: str) -> list[str]:
        return [token.key for token in self.tokens(text)]

    def split(self, word: str) -> list[str]:
        """Split a compound into known keys, longest head first: huurachterstand -> huur, achterstand."""
        return split_compound(word, self.vocabulary, self.rules)
