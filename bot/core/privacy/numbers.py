"""Finders for personal numbers and addresses: BSN, IBAN, e-mail, phone, postcode with huisnummer.

Each finder returns character spans `(start, end)` in the text it was given; it never edits text. Every
regular expression has bounded repeats only, so the work per position is bounded and the whole scan is
linear in the length of the text (a 40,000-character token costs milliseconds, not seconds).

phonenumbers and python-stdnum are imported at the first check that needs them (or by `warm_up`, which
servers run in a thread once their port is open), not when this module is: ~20 ms of every start.
"""

from __future__ import annotations

import re
from functools import cache

Span = tuple[int, int]

# A BSN is nine digits (eight when written without its leading zero), with at most one separator
# between two digits; letters may be glued to it ("BSN546111397"), other digits may not.
_BSN = re.compile(r"(?<![\d.,])\d(?:[ .\-/]?\d){7,8}(?![\d]|[.,]\d)")
_BSN_CUE = re.compile(r"(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\W{0,3}$", re.IGNORECASE)

# An IBAN starts with a country code and two check digits; its length depends on the country, so the
# finder collects as many characters as that country's IBAN has and checks the checksum.
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ .\-]?\d{2}(?=[ .\-]?[A-Za-z0-9])")
_IBAN_CHAR = re.compile(r"[A-Za-z0-9]")
_IBAN_SEPARATORS = " .-"


@cache
def _iban_lengths() -> dict[str, int]:
    """The IBAN length of every country in the IBAN registry that python-stdnum ships ('4!n4!n12!c' → 4 + 20)."""
    from stdnum import numdb

    return {
        entry[1]: 4 + sum(int(n) for n in re.findall(r"(\d+)!", entry[3].get("bban", "")))
        for entry in numdb.get("iban").prefixes
    }


_DUTCH_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")

# Dutch postcodes never use the letter pairs SA, SD and SS. A postcode counts with a house number after
# it, or in upper case on its own ("1234 AB", "1234AB"); lower-case letters with a space only with a
# house number, and never when they are a common two-letter word ("in 2024 is 12 keer").
_COMMON_PAIRS = frozenset(
    "aa af al an as at be bv ca cm da de do en er ga id ik in is ja je kg km la ma me mg ml mm na nr nu "
    "of om op pa pp so st te tm to uk vs we wk wo za ze zo".split()
)
_POSTCODE = re.compile(
    r"(?<![\w\-/.])(?P<before>\d{1,5}[A-Za-z]?,[ ]{0,2})?"
    r"(?P<digits>[1-9]\d{3})(?P<gap>[ \-]?)(?P<letters>[A-Za-z]{2})(?![A-Za-z])"
    r"(?P<number>,?[ ]{0,2}(?:nr\.?[ ]?)?\d{1,5}(?:[ \-]?[A-Za-z](?![A-Za-z]))?(?!\d))?"
)
_HOUSE_NUMBER = r"\d{1,5}(?:[ \-]?[a-zA-Z](?![A-Za-z]))?(?!\d)"
_STREET_SUFFIX = (
    "straat|laan|weg|plein|singel|gracht|kade|dijk|hof|steeg|pad|dreef|park|markt|plantsoen|erf|baan|ring|"
    "kwartier|burcht|haven|wal|veld|hoek|akker|wijk"
)
_ADDRESS = re.compile(
    rf"\b[A-Z][a-zëéèï]{{1,30}}(?:{_STREET_SUFFIX})[ ]{{1,2}}{_HOUSE_NUMBER}"
    rf"|\b(?:huisnummer|huisnr\.?)[ ]{{1,2}}{_HOUSE_NUMBER}",
)
_PHONE_CHARS = re.compile(r"(?<![\d+(])[+(]?\d[\d \-.()/]{7,22}\d(?!\d)")
_MAX_PHONE_RUN = 40
_PHONE_DIGITS = (9, 15)  # a Dutch number has 10 digits (9 after +31); international ones at most 15


def warm_up() -> None:
    """Import the checking libraries and read the IBAN registry now instead of at the first check."""
    import phonenumbers  # noqa: F401
    from stdnum import iban  # noqa: F401
    from stdnum.nl import bsn  # noqa: F401

    _iban_lengths()


def bsn(text: str) -> list[Span]:
    from stdnum.nl import bsn as stdnum_bsn

    spans = []
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) == 8 and not _BSN_CUE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        if stdnum_bsn.is_valid(digits):
            spans.append(match.span())
    return spans


def iban(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _IBAN_START.finditer(text):
        if spans and match.start() < spans[-1][1]:
            continue
        found = _longest_iban(text, match.start())
        if found is not None:
            spans.append(found)
    return spans


def _longest_iban(text: str, start: int) -> Span | None:
    """The IBAN starting at `start`: as many characters as its country's IBAN has, cut only where a group
    ends (a separator, or the end of the run of letters and digits), so 'ES91 2100 … 1332 door' stops
    before 'door'; None unless the checksum holds (or it is a Dutch-shaped IBAN with a typo)."""
    from stdnum import iban as stdnum_iban

    length = _iban_lengths().get(text[start : start + 2].upper())
    if length is None:
        return None
    chars: list[str] = []
    ends: list[int] = []  # ends[i]: text position just after the (i+1)-th IBAN character
    cuts: set[int] = set()
    position = start
    while position < len(text) and len(chars) < length:
        char = text[position]
        if _IBAN_CHAR.match(char):
            chars.append(char.upper())
            ends.append(position + 1)
            position += 1
            continue
        if char in _IBAN_SEPARATORS and position + 1 < len(text) and _IBAN_CHAR.match(text[position + 1]):
            cuts.add(len(chars))
            position += 1
            continue
        break
    cuts.add(len(chars))
    if length not in cuts:
        return None
    compact = "".join(chars[:length])
    if stdnum_iban.is_valid(compact) or _DUTCH_IBAN.fullmatch(compact):
        return start, ends[length - 1]
    return None


def email(text: str) -> list[Span]:
    return [match.span() for match in _EMAIL.finditer(text)]


def phone(text: str) -> list[Span]:
    """Phone numbers in Dutch or international notation (phonenumbers, region NL); only runs of
    digit-like characters of a plausible length are handed to the matcher, which keeps it linear."""
    import phonenumbers

    spans: list[Span] = []
    for run in _PHONE_CHARS.finditer(text):
        digits = sum(char.isdigit() for char in run.group(0))
        if run.end() - run.start() > _MAX_PHONE_RUN or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
            continue
        start = max(0, run.start() - 4)
        window = text[start : run.end()]
        for found in phonenumbers.PhoneNumberMatcher(window, "NL", leniency=phonenumbers.Leniency.VALID):
            spans.append((start + found.start, start + found.end))
    return spans


def address(text: str) -> list[Span]:
    spans = []
    for match in _POSTCODE.finditer(text):
        letters, gap, number = match.group("letters"), match.group("gap"), match.group("number")
        if letters.upper() in {"SA", "SD", "SS"}:
            continue
        if match.group("before"):
            number = match.group("before")
        if number is None and not (letters.isupper() or (gap == "" and letters.islower())):
            continue
        if number is not None and not letters.isupper() and gap == " " and letters.lower() in _COMMON_PAIRS:
            continue
        if number is None and gap == "" and letters.islower() and letters in _COMMON_PAIRS:
            continue
        spans.append(match.span())
    spans += [match.span() for match in _ADDRESS.finditer(text)]
    return spans
