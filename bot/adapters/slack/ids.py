"""Action and callback ids, in one place, so listeners and Block Kit cannot drift apart."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    SHOW_ARGUMENTS = "toon_argumenten"
    SHARE = "deel_in_kanaal"
    START_CASUS = "start_casus"
    CARD_PAGE = "kaart_pagina"


class CallbackId(StrEnum):
    FIND_SIGNALS = "zoek_signalen"


class ShareKind(StrEnum):
    """What a *Deel in kanaal* button shares; the button value is '<kind>|<text>'."""

    SIGNALS = "signaal"
    ARGUMENTS = "argument"
