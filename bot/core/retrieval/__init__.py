"""Retrieval: find the signals and arguments of the deck for a caseworker's own words.

analysis (words, keys, tokens), rules (the language rules of content/tekstanalyse.yaml), compounds,
phrases, frequency (wordfreq's values), language_data (simplemma's and wordfreq's data as tries mapped from
files), lexicon (the word lists of content/), scoring (BM25 over card items),
relevance (evidence or chance) and index (SearchIndex, the façade the adapters use).
"""

from bot.core.retrieval.index import SearchIndex
from bot.core.retrieval.lexicon import Synonyms
from bot.core.retrieval.scoring import ArgumentResult, Hit

__all__ = ["ArgumentResult", "Hit", "SearchIndex", "Synonyms"]
