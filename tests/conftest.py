"""Session-wide fixtures: the deck and the search index are loaded once for the whole run, and app
contexts for tests are built on them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.deck import Deck, load_deck
from bot.core.search import SearchIndex
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store.db import open_store


@pytest.fixture(scope="session")
def deck() -> Deck:
    return load_deck()


@pytest.fixture(scope="session")
def index(deck: Deck) -> SearchIndex:
    return SearchIndex(deck)


ContextFactory = Callable[[Settings], AppContext]


@pytest.fixture(scope="session")
def make_context(deck: Deck, index: SearchIndex) -> ContextFactory:
    """An AppContext for the given settings that shares the session's deck and index (its own database)."""

    def build(settings: Settings) -> AppContext:
        return AppContext(settings=settings, deck=deck, index=index, store=open_store(settings.db_path))

    return build
