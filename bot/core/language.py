"""Is this text Dutch? The search only understands Dutch, so English (or mostly non-Dutch) input gets a
message saying so instead of "geen duidelijk signaal".

Each word is compared on wordfreq's Zipf scale in Dutch and in English: a word far more common in English
("cannot", "husband", "the") counts as foreign, a word more common in Dutch counts as Dutch, anything else
(names, "man", compounds neither list knows) counts for neither. A text is not Dutch when at least
MIN_FOREIGN words are foreign and they outnumber the Dutch ones more than two to one, so a Dutch
description with "burn-out" or "no-show" in it stays Dutch. Pure: no I/O beyond wordfreq's lists, read from
the compact tables of bot/core/retrieval/language_data.py (the same values).
"""

from __future__ import annotations

import re

from bot.core.retrieval.language_data import zipf_frequency

__all__ = ["NOT_DUTCH", "is_mostly_foreign", "not_dutch_message"]

MIN_FOREIGN = 3
FOREIGN_MARGIN = 1.0  # Zipf points more common in English than in Dutch before a word counts as foreign
_WORD = re.compile(r"[^\W\d_]{2,}")

NOT_DUTCH = (
    "Ik lees alleen Nederlands. Je tekst lijkt grotendeels in een andere taal te staan; beschrijf het in het "
    "Nederlands, bijvoorbeeld: `{example}`."
)
EXAMPLES = {
    "signaal": "signaal mevrouw kan de huur niet betalen sinds haar man overleed",
    "argument": "argument hardheidsclausule",
}


def is_mostly_foreign(text: str) -> bool:
    """True when the words of `text` are mostly (English) non-Dutch; short or unknown text is never foreign."""
    dutch = foreign = 0
    for word in _WORD.findall(text.lower()):
        nl, en = zipf_frequency(word, "nl"), zipf_frequency(word, "en")
        if nl > en:
            dutch += 1
        elif en > nl + FOREIGN_MARGIN:
            foreign += 1
    return foreign >= MIN_FOREIGN and foreign > 2 * dutch


def not_dutch_message(text: str, command: str) -> str | None:
    """The Dutch message for `signaal`/`argument` when `text` is not Dutch, else None."""
    if not is_mostly_foreign(text):
        return None
    return NOT_DUTCH.format(example=EXAMPLES.get(command, EXAMPLES["signaal"]))
