"""Find signals and arguments for a caseworker's own words.

First version: token overlap over the card text. The Dutch-aware index (stemming, compounds,
synonyms, threshold) replaces the scoring; the interface below is stable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.core.deck import Deck
from bot.core.models import CardId, CardItem, Stance

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "de het een en of in op van voor te met is zijn aan bij dat die dit als om niet ook door naar "
    "hij zij ze hem haar er wat wie hoe kan heeft hebben wordt worden".split()
)


@dataclass(frozen=True)
class Hit:
    item: CardItem
    score: float
    matched: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.item.id,
            "kaart": self.item.kaart,
            "groep": self.item.groep,
            "tekst": self.item.tekst,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class ArgumentResult:
    voor: list[Hit]
    tegen: list[Hit]

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        return {"voor": [h.to_json() for h in self.voor], "tegen": [h.to_json() for h in self.tegen]}

    @property
    def empty(self) -> bool:
        return not self.voor and not self.tegen


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [t for t in _WORD.findall(folded) if t not in _STOP and len(t) > 2]


class SearchIndex:
    def __init__(self, deck: Deck) -> None:
        self._docs: dict[CardId, list[tuple[CardItem, set[str]]]] = {
            card_id: [(item, set(_tokens(item.tekst))) for item in deck.items(card_id)]
            for card_id in ("signalen", "argumenten")
        }

    def _rank(self, card_id: CardId, text: str) -> list[Hit]:
        query = set(_tokens(text))
        hits = []
        for item, words in self._docs[card_id]:
            shared = query & words
            if shared:
                hits.append(Hit(item, len(shared) / (len(words) ** 0.5), tuple(sorted(shared))))
        return sorted(hits, key=lambda h: (-h.score, h.item.id))

    def signals(self, text: str, top: int = 5) -> list[Hit]:
        return self._rank("signalen", text)[:top]

    def arguments(self, text: str, top: int = 5) -> ArgumentResult:
        ranked = self._rank("argumenten", text)
        return ArgumentResult(
            voor=[h for h in ranked if h.item.stance is Stance.VOOR][:top],
            tegen=[h for h in ranked if h.item.stance is Stance.TEGEN][:top],
        )
