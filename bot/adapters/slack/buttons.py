"""Typed button values: a pydantic model per button, dumped as JSON into the button's `value`.

Every value carries the team and channel its message was posted in. On a click the listener loads the
value and checks it against the team and channel Slack reports for the click (`from_click`); a value
that does not load, or that was posted elsewhere, gets `REFUSAL` and changes nothing.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

REFUSAL = "Deze knop hoort bij een bericht in een ander kanaal of werkt niet meer. Ik doe er niets mee."
EXPIRED_CARD = "Deze knop werkt niet meer. Vraag de kaart opnieuw op met `/maatwerk kaart`."


class Origin(BaseModel):
    """Where a message with buttons was posted; a click must come from the same place."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    team: str = Field(max_length=40)
    channel: str = Field(max_length=40)


class ButtonValue(Origin):
    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: object) -> Self | None:
        if not isinstance(raw, str):
            return None
        try:
            return cls.model_validate_json(raw)
        except ValidationError:
            return None

    def posted_in(self, click: Origin) -> bool:
        """Same channel, and same team unless the value was posted without knowing its team."""
        return self.channel == click.channel and (not self.team or self.team == click.team)


class CardPage(ButtonValue):
    """◀ Vorige / Volgende ▶ under a page of a card."""

    card: str = Field(max_length=40)
    page: int = Field(ge=0, le=1000)


class LessonCasus(ButtonValue):
    """*Start casus* under the weekly lesson."""

    lesson: str = Field(max_length=40)


def from_click(body: dict[str, Any]) -> Origin:
    """The team and channel of a click as Slack reports them (payloads.py checked the shape)."""
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    user = body.get("user") or {}
    return Origin(
        team=str(team.get("id") or user.get("team_id") or "")[:40],
        channel=str(channel.get("id") or container.get("channel_id") or "")[:40],
    )


def clicked_value(body: dict[str, Any]) -> object:
    actions = body.get("actions") or [{}]
    return actions[0].get("value")
