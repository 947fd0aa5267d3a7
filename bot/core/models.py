"""Pydantic models for the six cards of 'Helder denken over maatwerk' (seed 002).

A card holds groups, a group holds items. Every item has a stable id (S-…, A-…, V-…, L-…) and is
traceable to its source: card, group and page in the book.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CardId = Literal["signalen", "argumenten", "vragen-uitvoerders", "vragen-beleid", "vragen-beleidsmakers", "lessen"]
CARD_IDS: tuple[CardId, ...] = (
    "signalen",
    "argumenten",
    "vragen-uitvoerders",
    "vragen-beleid",
    "vragen-beleidsmakers",
    "lessen",
)
ID_PREFIX: dict[CardId, str] = {
    "signalen": "S-",
    "argumenten": "A-",
    "vragen-uitvoerders": "V-",
    "vragen-beleid": "V-",
    "vragen-beleidsmakers": "V-",
    "lessen": "L-",
}


class Stance(StrEnum):
    """Side of an argument on the Argumentenkaart."""

    VOOR = "voor"
    TEGEN = "tegen"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    id: str = Field(pattern=r"^[SAVL]-[A-Z0-9-]+$")
    tekst: str

    @field_validator("tekst")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("tekst is leeg")
        return value


class Group(_Strict):
    """A group (cluster, question group, lesson group) on a card.

    `section` is the larger division the group belongs to: for signals `inwoner`/`uitvoerder`, for
    arguments the theme (Welzijn, Bestuur, ...), for the Vragenkaart uitvoerders the phase (Vóór,
    Tijdens, Na), for the beleidsmakers cards the step, for lessons the audience.
    """

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    section: str
    stance: Stance | None = None
    page: int = Field(ge=1)
    items: list[Item] = Field(min_length=1)

    @field_validator("title", "section")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("mag niet leeg zijn")
        return value


class Card(_Strict):
    id: CardId
    title: str
    question: str
    intro: str
    audience: str
    sections: list[str] = Field(min_length=1)
    groups: list[Group] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_groups(self) -> Card:
        prefix = ID_PREFIX[self.id]
        for group in self.groups:
            if group.section not in self.sections:
                raise ValueError(f"groep {group.id!r}: onbekende sectie {group.section!r} (bekend: {self.sections})")
            if (group.stance is not None) != (self.id == "argumenten"):
                raise ValueError(f"groep {group.id!r}: stance hoort alleen bij argumenten")
            for item in group.items:
                if not item.id.startswith(prefix):
                    raise ValueError(f"item {item.id!r}: id moet beginnen met {prefix!r}")
        return self

    def items(self) -> list[CardItem]:
        return [
            CardItem(
                id=item.id,
                kaart=self.id,
                groep=group.title,
                group_id=group.id,
                section=group.section,
                stance=group.stance,
                tekst=item.tekst,
                page=group.page,
            )
            for group in self.groups
            for item in group.items
        ]


class CardItem(_Strict):
    """One item flattened with its source reference; what search, dialogue and renderers use."""

    id: str
    kaart: CardId
    groep: str
    group_id: str
    section: str
    stance: Stance | None
    tekst: str
    page: int


class Definition(_Strict):
    term: str
    tekst: str


class Introduction(_Strict):
    """The book's own explanation: what maatwerk is, the 80/15/5 split, fixen and solven."""

    title: str
    source: str
    summary: str
    definitions: list[Definition] = Field(min_length=1)
    shares: dict[str, int]
