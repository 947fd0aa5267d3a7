"""The steering words of a dialogue, one grammar for every adapter (terminal lines, Slack thread replies).

A reply steers only when it is exactly one steering word: case does not matter, a leading `/` is allowed,
surrounding spaces are ignored. Anything else, also "vorige vraag was lastig", is an answer.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["ACTIONS", "STEERING_HINT", "WORDS", "Action", "steering_action"]

Action = Literal["overslaan", "vorige", "pauzeer", "verder", "afronden"]
ACTIONS: tuple[Action, ...] = ("overslaan", "vorige", "pauzeer", "verder", "afronden")

# `klaar` means done (afronden). `stop` is not a steering word: in the terminal it ends the shell (the
# dialogue stays open there), so in Slack it stays an answer rather than meaning something else.
WORDS: dict[str, Action] = {action: action for action in ACTIONS} | {"klaar": "afronden"}

STEERING_HINT = "Typ *overslaan*, *vorige* of *afronden*, of gebruik de knoppen."


def steering_action(text: str) -> Action | None:
    """The action a reply asks for, or None when the reply is an answer."""
    word = text.strip()
    if word.startswith("/"):
        word = word[1:]
    return WORDS.get(word.casefold())
