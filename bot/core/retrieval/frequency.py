"""How common a word is in Dutch at large (wordfreq), loaded on first use: importing wordfreq and reading
its Dutch list takes about half a second, which a start from the index cache does not need."""

from __future__ import annotations

from functools import lru_cache

from bot.core.retrieval.rules import RULES, fold

# Words this common in Dutch at large (wordfreq's Zipf scale: "de" 7.3, "geeft" 5.8, "deurwaarder" 3.3)
# tell little about a case on their own, however rare they are on the card.
EVERYDAY_ZIPF = 5.3
# Words this rare ("deurwaarder" 3.3, "ombudsman" 3.6, against "vertraging" 4.1) are specialist terms: when a
# caseworker's word list holds one, a text that uses it is about that item's subject.
SPECIALIST_ZIPF = 4.0


@lru_cache(maxsize=1)
def _dutch_words() -> dict[str, float]:
    """wordfreq's Dutch word list, loaded on first use."""
    import wordfreq  # lazily: see the module docstring

    # The same arguments as wordfreq's own call, so both share one cached dict (lru_cache keys on them).
    found: dict[str, float] = wordfreq.get_frequency_dict("nl", "best")
    return found


def _zipf_frequency(word: str) -> float:
    import wordfreq  # lazily: see the module docstring

    return float(wordfreq.zipf_frequency(word, "nl"))


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a folded word is in Dutch (wordfreq's Zipf scale); 0 for a word it does not know.

    A word missing from the list is looked up in a dict, not through wordfreq's tokenizer, which is
    slow for the random strings of pathological input."""
    if word not in _dutch_words():
        return 0.0
    return _zipf_frequency(word)


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
    return " " not in word.strip() and _zipf_frequency(fold(word)) < SPECIALIST_ZIPF
