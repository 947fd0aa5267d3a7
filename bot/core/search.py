"""The search façade under its old name: adapters import SearchIndex, Hit and ArgumentResult from here."""

from bot.core.retrieval import ArgumentResult, Hit, SearchIndex, Synonyms

__all__ = ["ArgumentResult", "Hit", "SearchIndex", "Synonyms"]
