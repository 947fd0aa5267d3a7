"""The rules of text analysis as data (content/tekstanalyse.yaml): stop words, articles, lemmas kept apart
from their stem, suffixes, lemma fixes, chat forms and idioms, each with the sentence it fixes and one it must
not break (checked by tests/core/test_text_rules.py). TextRules turns a text into folded words and a word into
its search key under these rules.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import Stemmer
import yaml

from bot.core.retrieval.language_data import lemmatize

RULES_FILE = "tekstanalyse.yaml"
# libyaml's safe loader when PyYAML has it (as bot/core/deck.py): the pure-Python one took 10 ms of every start.
YAML_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _rules_path() -> Path:
    """content/ beside the code, else where MAATWERK_CONTENT points (as in the Docker image, where the package
    is installed apart from content/)."""
    beside = Path(__file__).resolve().parents[3] / "content" / RULES_FILE
    configured = os.environ.get("MAATWERK_CONTENT")
    if beside.is_file() or not configured:
        return beside
    return Path(configured) / RULES_FILE


DEFAULT_RULES_PATH = _rules_path()
_WORD = re.compile(r"[a-z]+")
_STEMMER = Stemmer.Stemmer("dutch_porter")
# Bounds on pathological input, far above real text: a "word" longer than MAX_WORD_LENGTH letters
# (Dutch compounds in case notes stay under 35) is no word and is skipped; only the first MAX_WORDS
# words of a text are read (a long dossier note has about 200). Without them a 20,000-letter token
# took seconds in typo correction and compound splitting.
MAX_WORD_LENGTH = 40
MAX_WORDS = 500
KEY_CACHE_SIZE = 65536


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Financiën' -> 'financien'."""
    if text.isascii():  # nothing to strip
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class RulesError(ValueError):
    """content/tekstanalyse.yaml is malformed."""


@dataclass(frozen=True)
class Idiom:
    pattern: re.Pattern[str]
    meaning: str


class TextRules:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        try:
            self.stopwords = frozenset(str(w) for w in data["stopwoorden"]["woorden"])
            self.articles = frozenset(str(w) for w in data["lidwoorden"]["woorden"])
            self.keep_apart = frozenset(str(e["woord"]) for e in data["uit_elkaar"])
            self.suffixes = frozenset(str(e["achtervoegsel"]) for e in data["achtervoegsels"])
            self.lemma_fixes = {str(e["woord"]): str(e["lemma"]) for e in data["lemma_correcties"]}
            self.informal = {str(e["woord"]): str(e["betekent"]) for e in data["spreektaal"]}
            self.idioms = tuple(Idiom(re.compile(str(e["patroon"])), str(e["betekent"])) for e in data["uitdrukkingen"])
        except (KeyError, TypeError, re.error) as error:
            raise RulesError(f"{RULES_FILE}: {error}") from error
        self.key: Callable[[str], str] = lru_cache(maxsize=KEY_CACHE_SIZE)(self._key)

    @classmethod
    def load(cls, path: Path = DEFAULT_RULES_PATH) -> TextRules:
        return cls(yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER))

    def without(self, section: str, index: int) -> TextRules:
        """These rules without one entry (for the test that every rule changes something)."""
        data = dict(self.data)
        if isinstance(data[section], dict):
            words = [w for i, w in enumerate(data[section]["woorden"]) if i != index]
            data[section] = {**data[section], "woorden": words}
        else:
            data[section] = [e for i, e in enumerate(data[section]) if i != index]
        return TextRules(data)

    def all_words(self, text: str) -> list[str]:
        """The folded words of a text, idioms replaced and chat forms written out, within the bounds."""
        folded = fold(text)
        for idiom in self.idioms:
            folded = idiom.pattern.sub(idiom.meaning, folded)
        found: list[str] = []
        for match in _WORD.finditer(folded):
            word = match.group()
            if len(word) <= MAX_WORD_LENGTH:
                found.append(self.informal.get(word, word))
                if len(found) >= MAX_WORDS:
                    break
        return found

    def words(self, text: str) -> list[str]:
        """The words of a text after folding, stop words removed, in order."""
        return [w for w in self.all_words(text) if w not in self.stopwords and len(w) > 1]

    def phrase_words(self, text: str) -> list[str]:
        """The words of a text after folding, stop words kept, articles removed, in order."""
        return [w for w in self.all_words(text) if w not in self.articles and len(w) > 1]

    def phrase_word_key(self, word: str) -> str:
        """The key of a word inside a phrase: a stop word stays itself, other words get their search key."""
        return word if word in self.stopwords else self.key(word)

    def _key(self, word: str) -> str:
        """One search key for a folded word: its lemma, stemmed, unless the stem is another word.

        Stemming joins forms the lemmatiser leaves apart (betaling, betalen -> betal), but for some
        everyday words it lands on a different word of this domain (weten -> wet, geweldig -> geweld):
        those lemmas ('uit_elkaar') are their own key, and so is a lemma whose stem is a stop word (heet -> het).
        """
        lemma = self.lemma_fixes.get(word) or fold(lemmatize(word)).replace("_", "")
        stem = str(_STEMMER.stemWord(lemma))
        return lemma if lemma in self.keep_apart or stem in self.stopwords else stem


RULES = TextRules.load()
