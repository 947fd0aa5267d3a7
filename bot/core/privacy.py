"""Redact personal data from free text before it is stored: pure, no I/O.

Detected: BSN (only numbers that pass the 11-proef, python-stdnum), IBAN (stdnum checksum; a Dutch-shaped
IBAN with a typo is redacted too, it is still someone's account), e-mail, phone numbers (phonenumbers,
region NL), postcode with huisnummer or a street address, and dates of birth (a full date next to
'geboren'/'geboortedatum', or any full date at least MIN_AGE_YEARS ago, which is likelier a birth date
than a case date). Each kind gets a Dutch placeholder; the caller tells the author which kinds went.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

__all__ = ["KIND_LABELS", "Redaction", "notice", "redact"]

BSN = "BSN"
IBAN = "IBAN"
EMAIL = "e-mailadres"
PHONE = "telefoonnummer"
ADDRESS = "postcode en huisnummer"
BIRTH_DATE = "geboortedatum"
KIND_LABELS: tuple[str, ...] = (BSN, IBAN, EMAIL, PHONE, ADDRESS, BIRTH_DATE)
PLACEHOLDER = {
    BSN: "[BSN]",
    IBAN: "[IBAN]",
    EMAIL: "[e-mailadres]",
    PHONE: "[telefoonnummer]",
    ADDRESS: "[adres]",
    BIRTH_DATE: "[geboortedatum]",
}
MIN_AGE_YEARS = 12

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
_DUTCH_IBAN = re.compile(r"^NL\d{2}[A-Z]{4}\d{10}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_BSN = re.compile(r"(?<![\w-])\d(?:[ .-]?\d){7,8}(?![\w-])")
# Dutch postcodes never use the letter pairs SA, SD and SS; a lower-case pair only without a space,
# so 'in 2023 en' is not a postcode.
_POSTCODE = r"[1-9]\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})"
_HOUSE_NUMBER = r"\d{1,5}(?:[ -]?[a-zA-Z]\b)?"
_ADDRESS = re.compile(
    rf"\b(?:{_POSTCODE})\b(?:,?[ ]+(?:nr\.?[ ]?)?{_HOUSE_NUMBER}\b)?"
    rf"|\b{_HOUSE_NUMBER},?[ ]+(?:{_POSTCODE})\b"
    rf"|\b[A-Z][a-zë]+(?:straat|laan|weg|plein|singel|gracht|kade|dijk|hof|steeg|pad|dreef|park|markt|"
    rf"plantsoen|erf|baan|ring|kwartier)[ ]+{_HOUSE_NUMBER}\b"
    rf"|\bhuisnummer[ ]+{_HOUSE_NUMBER}\b",
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:[-/.](?P<month>\d{{1,2}})[-/.]|[ ]+(?P<name>{_MONTHS})\.?[ ]+)"
    r"(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<iyear>(?:19|20)\d{2})-(?P<imonth>\d{2})-(?P<iday>\d{2})\b",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = re.compile(
    r"(?:geboren|geb\.|geboortedatum|geb\.?datum|geboortedag|verjaardag)[ ]*(?:op|is|:)?[ ]*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Redaction:
    """The text with personal data replaced, and the kinds (Dutch labels) that were replaced."""

    text: str
    kinds: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _sub(pattern: re.Pattern[str], text: str, keep: Callable[[re.Match[str]], bool], kind: str) -> tuple[str, bool]:
    found = False

    def replace(match: re.Match[str]) -> str:
        nonlocal found
        if not keep(match):
            return match.group(0)
        found = True
        return PLACEHOLDER[kind]

    return pattern.sub(replace, text), found


def _is_iban(match: re.Match[str]) -> bool:
    compact = re.sub(r"\s", "", match.group(0)).upper()
    return bool(stdnum_iban.is_valid(compact)) or bool(_DUTCH_IBAN.match(compact))


def _is_bsn(match: re.Match[str]) -> bool:
    return bool(stdnum_bsn.is_valid(re.sub(r"[ .-]", "", match.group(0))))


def _redact_phones(text: str, international_only: bool = False) -> tuple[str, bool]:
    """Phone numbers; with international_only just those written with + or 00 (before the BSN step,
    so '+31 20 123 4567' is not mistaken for a BSN)."""
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
        if not international_only or m.raw_string.startswith(("+", "00"))
    ]
    for start, end in reversed(spans):
        text = text[:start] + PLACEHOLDER[PHONE] + text[end:]
    return text, bool(spans)


def _date_of(match: re.Match[str]) -> date | None:
    try:
        if match.group("iyear"):
            return date(int(match.group("iyear")), int(match.group("imonth")), int(match.group("iday")))
        month = int(match.group("month")) if match.group("month") else _month_number(match.group("name"))
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def _month_number(name: str) -> int:
    names = _MONTHS.split("|")
    index = names.index(name.lower())
    return index + 1 if index < 12 else [1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12][index - 12]


def _redact_birth_dates(text: str, today: date) -> tuple[str, bool]:
    def is_birth_date(match: re.Match[str]) -> bool:
        when = _date_of(match)
        if when is None:
            return False
        before = text[max(0, match.start() - 30) : match.start()]
        old_enough = (today.year - when.year) >= MIN_AGE_YEARS
        return old_enough or bool(_BIRTH_CONTEXT.search(before))

    return _sub(_DATE, text, is_birth_date, BIRTH_DATE)


def redact(text: str, today: date) -> Redaction:
    """Replace personal data in `text`; `today` decides which dates are old enough to be birth dates."""
    kinds: list[str] = []
    steps: list[tuple[str, Callable[[str], tuple[str, bool]]]] = [
        (IBAN, lambda t: _sub(_IBAN, t, _is_iban, IBAN)),
        (EMAIL, lambda t: _sub(_EMAIL, t, lambda _m: True, EMAIL)),
        (BIRTH_DATE, lambda t: _redact_birth_dates(t, today)),
        (PHONE, lambda t: _redact_phones(t, international_only=True)),
        (BSN, lambda t: _sub(_BSN, t, _is_bsn, BSN)),
        (PHONE, _redact_phones),
        (ADDRESS, lambda t: _sub(_ADDRESS, t, lambda _m: True, ADDRESS)),
    ]
    for kind, apply in steps:
        text, found = apply(text)
        if found and kind not in kinds:
            kinds.append(kind)
    return Redaction(text, tuple(sorted(kinds, key=KIND_LABELS.index)))


def notice(kinds: tuple[str, ...]) -> str:
    """The Dutch note for the author only: which kinds of personal data were left out."""
    if not kinds:
        return ""
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " en " + kinds[-1]
    return (
        f"Ik heb je tekst opgeslagen zonder persoonsgegevens: {listed} heb ik vervangen. "
        "Zet liever geen gegevens in de casus waaraan iemand te herkennen is."
    )
