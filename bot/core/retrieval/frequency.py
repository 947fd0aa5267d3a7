"""How common a word is in Dutch at large: wordfreq's values, read from the compact table of
language_data.py (a trie mapped from a file) instead of wordfreq's whole list as a dict."""

from __future__ import annotations

from functools import lru_cache

from bot.core.retrieval.language_data import listed_zipf, zipf_frequency
from bot.core.retrieval.rules import RULES, fold

# Words this common in Dutch at large (wordfreq's Zipf scale: "de" 7.3, "geeft" 5.8, "deurwaarder" 3.3)
# tell little about a case on their own, however rare they are on the card.
EVERYDAY_ZIPF = 5.3
# Words this rare ("deurwaarder" 3.3, "ombudsman" 3.6, against "vertraging" 4.1) are specialist terms: when a
# caseworker's word list holds one, a text that uses it is about that item's subject.
SPECIALIST_ZIPF = 4.0


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a folded word is in Dutch (wordfreq's Zipf scale); 0 for a word its list does not have.

    Only the list is consulted, not wordfreq's tokenizer, which is slow for the random strings of
    pathological input (and would find values for word pieces)."""
    return listed_zipf(word, "nl")


@lru_cache(maxsize=65536)
def everyday(word: str, level: float = EVERYDAY_ZIPF) -> bool:
    """Whether a word is so common in Dutch that, alone or in pairs, it is no evidence ('geeft', 'tweede').

    A phrase is everyday when all its words but the stop words are ('elke dag', 'nooit meer').
    """
    if " " in word:
        return all(everyday(part, level) for part in word.split() if part not in RULES.stopwords)
    return zipf(word) >= level


def specialist(word: str) -> bool:
    """Whether a single word is rare enough in Dutch to be a specialist term (a phrase is not a word)."""
    return " " not in word.strip() and zipf_frequency(fold(word), "nl") < SPECIALIST_ZIPF
