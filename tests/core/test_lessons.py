"""Lessons shown one at a time (weekly rotation, `lessen`) read on their own."""

from __future__ import annotations

import random

from bot.core.deck import Deck
from bot.core.lessons import ALL_AUDIENCES, AUDIENCES, lessons_for, pick_lesson, stands_alone


def test_l12_which_points_at_the_tips_above_it_is_left_out_of_single_lessons(deck: Deck) -> None:
    l12 = deck.item("L-12")
    assert "bovenstaande" in l12.tekst
    assert not stands_alone(l12)
    assert "L-12" not in [item.id for item in lessons_for(deck, ALL_AUDIENCES)]
    assert "L-12" not in [item.id for item in lessons_for(deck, "bestuurders")]
    rng = random.Random(12)
    assert all(pick_lesson(deck, "bestuurders", rng).id != "L-12" for _ in range(200))


def test_every_other_lesson_stays_in_the_rotation(deck: Deck) -> None:
    every = [item.id for item in deck.items("lessen")]
    single = [item.id for audience in AUDIENCES for item in lessons_for(deck, audience)]
    assert sorted(single) == sorted(i for i in every if i != "L-12")
