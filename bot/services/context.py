"""Everything an adapter needs, built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deck import Deck, load_deck
from bot.core.search import SearchIndex
from bot.settings import Settings, get_settings
from bot.store.contracts import StoreBackend
from bot.store.db import open_store


@dataclass
class AppContext:
    settings: Settings
    deck: Deck
    index: SearchIndex
    store: StoreBackend

    @classmethod
    def create(cls, settings: Settings | None = None) -> AppContext:
        settings = settings or get_settings()
        deck = load_deck(settings.content_dir)
        return cls(settings=settings, deck=deck, index=SearchIndex(deck), store=open_store(settings.db_path))

    def close(self) -> None:
        self.store.close()
