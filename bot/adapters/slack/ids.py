"""Action and callback ids, in one place, so listeners and Block Kit cannot drift apart."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    SHOW_ARGUMENTS = "toon_argumenten"
    SHARE = "deel_in_kanaal"
    START_CASUS = "start_casus"
    LESSON_CASUS = "les_start_casus"
    CARD_PAGE = "kaart_pagina"
    CASUS_SKIP = "casus_overslaan"
    CASUS_BACK = "casus_vorige"
    CASUS_PAUSE = "casus_pauzeer"
    CASUS_RESUME = "casus_verder"
    CASUS_FINISH = "casus_afronden"
    FORGET_CONFIRM = "vergeet_bevestigen"


class CallbackId(StrEnum):
    FIND_SIGNALS = "zoek_signalen"


class ShareKind(StrEnum):
    """What a *Deel in kanaal* button shares; the button value is '<kind>|<text>'."""

    SIGNALS = "signaal"
    ARGUMENTS = "argument"
