"""English or mostly non-Dutch input is recognised; Dutch with a loanword is not."""

from __future__ import annotations

import pytest

from bot.core.language import is_mostly_foreign, not_dutch_message


@pytest.mark.parametrize(
    "text",
    [
        "The client cannot pay the rent since her husband died",
        "de inwoner has a burn-out and cannot work anymore",
        "She is afraid of the government and does not open her letters",
    ],
)
def test_english_is_foreign(text: str) -> None:
    assert is_mostly_foreign(text)


@pytest.mark.parametrize(
    "text",
    [
        "mevrouw kan de huur niet betalen sinds haar man overleed",
        "meneer heeft een burn-out en een no-show bij de afspraak",
        "hardheidsclausule",
        "schulden",
        "the rent",  # too short to tell
        "Jansen, Pietersen en de Vries",
    ],
)
def test_dutch_or_too_short_is_not_foreign(text: str) -> None:
    assert not is_mostly_foreign(text)


def test_message_names_dutch_and_gives_an_example_per_command() -> None:
    english = "The client cannot pay the rent since her husband died"
    assert not_dutch_message("mevrouw heeft schulden", "signaal") is None
    signaal = not_dutch_message(english, "signaal")
    argument = not_dutch_message(english, "argument")
    assert signaal is not None
    assert signaal.startswith("Ik lees alleen Nederlands")
    assert argument is not None
    assert "argument hardheidsclausule" in argument
