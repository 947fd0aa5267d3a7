"""Split Dutch compounds (huurachterstand, schuldhulpverlening) into known keys."""

from __future__ import annotations

from collections.abc import Set

from bot.core.retrieval.frequency import zipf
from bot.core.retrieval.rules import TextRules

# Linking sounds between parts of a Dutch compound: betaling-s-achterstand, ziekte-n-huis.
LINKS = ("", "s", "en", "e", "n")
MIN_PART = 4
# The first part of a compound the deck does not know must be at least this common a Dutch word.
HEAD_ZIPF = 3.0
# Parts within parts: at most this deep (schuld-hulp-verlening).
MAX_DEPTH = 2


def split_compound(word: str, vocabulary: Set[str], rules: TextRules) -> list[str]:
    """Split a compound into known keys, longest head first: huurachterstand -> huur, achterstand."""
    return list(_split(word, vocabulary, rules, depth=0))


def _split(word: str, vocabulary: Set[str], rules: TextRules, depth: int) -> tuple[str, ...]:
    if depth > MAX_DEPTH or len(word) < 2 * MIN_PART:
        return ()
    key = rules.key
    unknown = depth == 0 and key(word) not in vocabulary
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            stem_head = head[: len(head) - len(link)] if link else head
            if len(stem_head) < MIN_PART or tail in rules.suffixes:
                continue
            head_key = key(stem_head)
            if head_key not in vocabulary:
                # The last part carries a Dutch compound's meaning (bankgegevens are gegevens): in a
                # word the deck does not know, it counts when the first part is a Dutch word too.
                if unknown and zipf(stem_head) >= HEAD_ZIPF and (tail_key := key(tail)) in vocabulary:
                    return (head_key, tail_key)
                continue
            tail_key = key(tail)
            if tail_key in vocabulary:
                return (head_key, tail_key)
            rest = _split(tail, vocabulary, rules, depth + 1)
            if rest:
                return (head_key, *rest)
    return ()
