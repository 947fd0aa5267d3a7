"""Lessons from the Lessenkaart, by audience (beleidsmakers, bestuurders, uitvoerders)."""

from __future__ import annotations

import random

from bot.core.deck import Deck
from bot.core.models import CardItem

AUDIENCES: tuple[str, ...] = ("beleidsmakers", "bestuurders", "uitvoerders")
ALL_AUDIENCES = "iedereen"
# Words by which a lesson refers to the lessons around it on the card; such a lesson is not shown alone.
POINTS_ELSEWHERE: tuple[str, ...] = ("bovenstaande", "hierboven", "onderstaande", "hieronder")


class UnknownAudienceError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.message = (
            f"De doelgroep `{name}` ken ik niet. Kies uit: {', '.join(AUDIENCES)} (of laat hem weg voor alle lessen)."
        )


def normalise_audience(name: str) -> str:
    """Map 'beleid', 'Uitvoerder', '' … to a known audience or ALL_AUDIENCES; raise for anything else."""
    key = name.strip().lower()
    if key in {"", "alle", "allen", "iedereen", ALL_AUDIENCES}:
        return ALL_AUDIENCES
    for audience in AUDIENCES:
        if audience.startswith(key[:6]) and len(key) >= 4:
            return audience
    raise UnknownAudienceError(name)


def stands_alone(lesson: CardItem) -> bool:
    """Whether a lesson reads on its own. L-12 ("Benut bovenstaande tips voor beleidsmakers …") points at
    the lessons printed above it on the card, which a single posted lesson cannot show."""
    text = lesson.tekst.lower()
    return not any(word in text for word in POINTS_ELSEWHERE)


def lessons_for(deck: Deck, audience: str) -> list[CardItem]:
    """The lessons for one audience (or all) that can be shown one at a time: the weekly rotation and
    `lessen`. The whole card, L-12 included, stays visible with `kaart lessen`."""
    items = [item for item in deck.items("lessen") if stands_alone(item)]
    if audience == ALL_AUDIENCES:
        return items
    return [item for item in items if item.section.lower() == audience]


def pick_lesson(deck: Deck, audience: str, rng: random.Random | None = None) -> CardItem:
    """One lesson for the audience; pass a seeded Random for a reproducible pick."""
    return (rng or random.Random()).choice(lessons_for(deck, audience))
