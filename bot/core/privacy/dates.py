"""Finder for dates of birth: a full date after a cue word ('geboren', 'geb.', 'geboortedatum', …) in any
usual notation, or a full date at least MIN_AGE_YEARS ago (likelier a birth date than a case date)."""

from __future__ import annotations

import re
from datetime import date

from bot.core.dutch import MONTHS

Span = tuple[int, int]
MIN_AGE_YEARS = 12

_MONTHS = MONTHS
_SHORT_MONTHS = {"jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9}
_SHORT_MONTHS |= {"okt": 10, "nov": 11, "dec": 12, "mar": 3, "oct": 10, "may": 5, "mei": 5}
MONTH_NUMBER = {name: index + 1 for index, name in enumerate(_MONTHS)} | _SHORT_MONTHS
_MONTH_NAMES = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))

# Year forms: 1979, '79, ’79, `79, and 79 (the last only in numeric dates or after a cue word).
_YEAR = r"(?:(?P<y4>(?:19|20)\d{2})|['’`](?P<ya>\d{2})|(?P<y2>\d{2}))"
_DATE = re.compile(
    rf"(?<![\d\w])(?:"
    rf"(?P<d>[0-3]?\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep){_YEAR}"
    rf"|(?P<wd>[0-3]?\d)(?:e|ste|de)?[ \-.]{{0,2}}(?P<name>{_MONTH_NAMES})\.?[ \-.]{{0,2}}"
    rf"(?:(?P<wy4>(?:19|20)\d{{2}})|['’`](?P<wya>\d{{2}})|(?P<wy2>\d{{2}}))"
    rf"|(?P<iy>(?:19|20)\d{{2}})(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)"
    rf"|(?P<gd>[0-3]\d)(?P<gm>[01]\d)(?P<gy>(?:19|20)\d{{2}})"
    rf")(?![\d]|[.,/-]\d)",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"(?:geboren|geb\.?|geboorte(?:datum|dag)?|geb\.?[ ]?datum|gebdat|verjaardag|jarig|dob|"
    r"geboortedatum[ ]?is)\W{0,3}(?:op|is|in|:)?\W{0,3}(?:de\W{1,2})?$",
    re.IGNORECASE,
)
_CUE_WINDOW = 40


def _year(value: str, today: date) -> int:
    if len(value) == 4:
        return int(value)
    two = int(value)
    return 2000 + two if 2000 + two <= today.year else 1900 + two


def _date_of(match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    try:
        if groups["d"]:
            year = groups["y4"] or groups["ya"] or groups["y2"]
            return date(_year(year, today), int(groups["m"]), int(groups["d"]))
        if groups["wd"]:
            year = groups["wy4"] or groups["wya"] or groups["wy2"]
            return date(_year(year, today), MONTH_NUMBER[groups["name"].lower()], int(groups["wd"]))
        if groups["iy"]:
            return date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        return date(int(groups["gy"]), int(groups["gm"]), int(groups["gd"]))
    except ValueError:
        return None


def birth_dates(text: str, today: date) -> list[Span]:
    spans = []
    for match in _DATE.finditer(text):
        when = _date_of(match, today)
        if when is None or when > today:
            continue
        cued = bool(_CUE.search(text[max(0, match.start() - _CUE_WINDOW) : match.start()]))
        glued = bool(match.group("gd"))
        bare_two_digits = bool(match.group("wy2"))
        if cued or (not glued and not bare_two_digits and today.year - when.year >= MIN_AGE_YEARS):
            spans.append(match.span())
    return spans
