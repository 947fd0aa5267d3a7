"""argparse in Dutch: the parser class, its messages, and value types with Dutch error messages.

argparse looks its texts up through the module-level `_` and `ngettext` (gettext) at the moment it
builds a parser and reports an error. `dutch_messages()` swaps those two for a Dutch table while the
`maatwerk` parser is built and used, and puts the originals back afterwards, so nothing else in the
process (pytest, for one) changes language.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

__all__ = [
    "DutchArgumentParser",
    "aware_datetime",
    "dutch_messages",
    "iso_date",
    "port_number",
    "positive_int",
    "text_file",
]

# The msgids of argparse (Python 3.11 and later) and what the caseworker reads instead.
MESSAGES: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "show this help message and exit": "toon deze uitleg en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "unrecognized arguments: %s": "dit ken ik niet: %s",
    "not allowed with argument %s": "gaat niet samen met %s",
    "ignored explicit argument %r": "hier hoort geen waarde bij: %r",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    "one of the arguments %s is required": "geef een van deze: %s",
    "expected one argument": "hier hoort een waarde achter",
    "expected at most one argument": "hier hoort hoogstens één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s kan meer betekenen: %(matches)s",
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "%(value)r is hier geen geldige waarde",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r ken ik niet; kies uit %(choices)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "%(parser_name)r ken ik niet; kies uit %(choices)s",
}
PLURALS: dict[str, str] = {"expected %s argument": "hier horen %s waarden achter"}


def _dutch(message: str) -> str:
    return MESSAGES.get(message, message)


def _dutch_plural(singular: str, plural: str, count: int) -> str:
    if singular in PLURALS:
        return PLURALS[singular]
    return singular if count == 1 else plural


@contextmanager
def dutch_messages() -> Iterator[None]:
    """Let argparse speak Dutch inside the block (building, parsing, help), and English again after it."""
    names = vars(argparse)  # the module's globals, where argparse looks its gettext functions up
    saved = {"_": names["_"], "ngettext": names["ngettext"]}
    names.update({"_": _dutch, "ngettext": _dutch_plural})
    try:
        yield
    finally:
        names.update(saved)


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors end with where to find help; sub-parsers inherit the class."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\nTyp `{self.prog} --help` voor uitleg en voorbeelden.\n")


def positive_int(text: str) -> int:
    """A whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen heel getal; geef bijvoorbeeld 5") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is te klein; geef 1 of meer")
    return value


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen poortnummer; geef bijvoorbeeld 3000") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is geen poortnummer; kies tussen 1 en 65535, bijvoorbeeld 3000")
    return value


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen datum die ik lees; schrijf hem als JJJJ-MM-DD, bijvoorbeeld 2027-03-22"
        ) from None


def aware_datetime(text: str) -> datetime:
    """A moment in ISO 8601 with its time zone, such as 2027-03-22T09:05:00+01:00."""
    example = "bijvoorbeeld 2027-03-22T09:05:00+01:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen tijdstip dat ik lees; schrijf datum, tijd en tijdzone, {example}"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' heeft geen tijdzone; zet die erachter, {example}")
    return moment


def text_file(text: str) -> Path:
    """An existing, readable file (read later as UTF-8)."""
    path = Path(text)
    if not path.is_file():
        what = "is een map" if path.is_dir() else "bestaat niet"
        raise argparse.ArgumentTypeError(
            f"het bestand '{text}' {what}; geef het pad naar een tekstbestand met één tekst per regel"
        )
    return path
