"""Redact personal data from free text before it leaves the author's private view: pure, no I/O.

Detected, each with its own finder on the original text:
- BSN: 8 or 9 digits with any one separator between digits, glued to words or not, that pass the
  11-proef (python-stdnum);
- IBAN: every country, compact, spaced, dotted, dashed or lower case, checked with the ISO 7064
  checksum (python-stdnum); the longest valid prefix is taken, so a following word is never swallowed;
  a Dutch-shaped IBAN with a typo is redacted too, it is still someone's account;
- e-mail addresses; phone numbers (phonenumbers, region NL, national and international notation);
- postcode with huisnummer in every notation, and street + huisnummer;
- dates of birth: a full date (numeric, written, two-digit year, or eight glued digits) after a cue
  word such as 'geboren', 'geb.' or 'geboortedatum', or any full date at least 12 years ago;
- person names: deduce's name rules and lists (see names.py).

Spans that overlap are merged, the earlier finder in FINDERS wins the label. Each kind is replaced by a
Dutch placeholder so the answer stays readable; the caller tells the author which kinds went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.core.privacy import dates, numbers
from bot.core.privacy import names as name_finder

__all__ = ["KIND_LABELS", "PLACEHOLDER", "Redaction", "notice", "redact", "warm_up"]

BSN = "BSN"
IBAN = "IBAN"
EMAIL = "e-mailadres"
PHONE = "telefoonnummer"
ADDRESS = "postcode en huisnummer"
BIRTH_DATE = "geboortedatum"
NAME = "naam"
KIND_LABELS: tuple[str, ...] = (NAME, BSN, IBAN, EMAIL, PHONE, ADDRESS, BIRTH_DATE)
PLACEHOLDER = {
    NAME: "[naam]",
    BSN: "[BSN]",
    IBAN: "[IBAN]",
    EMAIL: "[e-mailadres]",
    PHONE: "[telefoonnummer]",
    ADDRESS: "[adres]",
    BIRTH_DATE: "[geboortedatum]",
}
# Longest text redact() looks at in one piece; longer text is redacted piece by piece (at whitespace).
MAX_CHUNK = 4000

Span = tuple[int, int]
FINDERS: tuple[tuple[str, Callable[[str, date], list[Span]]], ...] = (
    (EMAIL, lambda text, _today: numbers.email(text)),
    (IBAN, lambda text, _today: numbers.iban(text)),
    (BIRTH_DATE, dates.birth_dates),
    (BSN, lambda text, _today: numbers.bsn(text)),
    (PHONE, lambda text, _today: numbers.phone(text)),
    (ADDRESS, lambda text, _today: numbers.address(text)),
    (NAME, lambda text, _today: name_finder.names(text)),
)


@dataclass(frozen=True)
class Redaction:
    """The text with personal data replaced, and the kinds (Dutch labels) that were replaced."""

    text: str
    kinds: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _chunks(text: str) -> list[str]:
    """Pieces of at most MAX_CHUNK characters, cut after a line or sentence where possible (personal data
    rarely runs across one), else at a space, else anywhere (one long token)."""
    pieces: list[str] = []
    while len(text) > MAX_CHUNK:
        low = MAX_CHUNK // 2
        cut = max(text.rfind("\n", low, MAX_CHUNK), text.rfind(". ", low, MAX_CHUNK - 1))
        cut = cut if cut > 0 else text.rfind(" ", low, MAX_CHUNK)
        cut = cut + 1 if cut > 0 else MAX_CHUNK
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _redact_piece(text: str, today: date) -> tuple[str, set[str]]:
    labelled: list[tuple[int, int, str]] = []
    for kind, find in FINDERS:
        labelled += [(start, end, kind) for start, end in find(text, today) if end > start]
    if not labelled:
        return text, set()
    rank = {kind: index for index, (kind, _) in enumerate(FINDERS)}
    labelled.sort(key=lambda span: (span[0], -span[1], rank[span[2]]))
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in labelled:
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind = merged[-1]
            # The label of the earlier finder wins when its span covers (nearly) all of the merged one.
            better = rank[kind] < rank[last_kind] and end - start >= last_end - last_start - 1
            merged[-1] = (last_start, max(last_end, end), kind if better else last_kind)
            continue
        merged.append((start, end, kind))
    parts: list[str] = []
    position = 0
    for start, end, kind in merged:
        parts += [text[position:start], PLACEHOLDER[kind]]
        position = end
    parts.append(text[position:])
    return "".join(parts), {kind for _, _, kind in merged}


def redact(text: str, today: date) -> Redaction:
    """Replace personal data in `text`; `today` decides which dates are old enough to be birth dates."""
    kinds: set[str] = set()
    out: list[str] = []
    for piece in _chunks(text):
        clean, found = _redact_piece(piece, today)
        out.append(clean)
        kinds |= found
    return Redaction("".join(out), tuple(kind for kind in KIND_LABELS if kind in kinds))


def notice(kinds: tuple[str, ...], done: str = "opgeslagen") -> str:
    """The Dutch note for the author only: which kinds of personal data were left out of what was
    `done` with the text ('opgeslagen', 'gedeeld in het kanaal')."""
    if not kinds:
        return ""
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " en " + kinds[-1]
    return (
        f"Ik heb je tekst {done} zonder persoonsgegevens: {listed} heb ik vervangen. "
        "Zet liever geen gegevens waaraan iemand te herkennen is in je tekst."
    )


def warm_up() -> None:
    """Load the number checkers and the name lookups now instead of at the first redaction (servers call it
    in a thread once their port is open)."""
    numbers.warm_up()
    name_finder.warm_up()
