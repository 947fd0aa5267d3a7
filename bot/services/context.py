"""Everything an adapter needs, built once at start-up."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

from bot.core import privacy, schedule
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

    def warm_up_in_background(self) -> None:
        """Load the name lists of redaction and the language data of search (about a second each), and the
        libraries start-up leaves out (number checks, holidays), in a thread beside start-up, so the
        first answers do not wait for them. Call it in the process that serves (after any fork: a thread
        running during fork() can leave a lock held in the child)."""
        threading.Thread(target=self._warm_up, name="warm-up", daemon=True).start()

    def _warm_up(self) -> None:
        privacy.warm_up()
        self.index.warm()
        schedule.warm_up()
        # What was just loaded lives as long as the process, like the cards `serve` froze before start:
        # out of the collector's full passes too (they took 30-55 ms each under load, every second or so).
        gc.freeze()

    def close(self) -> None:
        self.store.close()
