"""The relevance decision: whether the words an item shares with a text are evidence, not chance."""

from __future__ import annotations

from bot.core.retrieval.frequency import everyday

# A result must reach this score (and rest on evidence) to be shown.
RELEVANCE_THRESHOLD = 3.0
# Two matched words are evidence when both are rarer than this in Dutch (wordfreq Zipf): stricter than
# 'everyday' (5.3), so that two common words ("systeem" 5.0, "stuk" 5.2) do not make an office chat a case.
PAIR_ZIPF = 5.1


def is_evidence(matched: dict[str, None], curated: set[str], general: set[str]) -> bool:
    """Whether the words an item shares with a text are evidence, not chance.

    A caseworker's term or phrase from content/ is, unless it is an everyday word ("jaar", "boos")
    standing alone; two words that are fairly rare in Dutch (below PAIR_ZIPF) are. Common words
    alone ("geeft", "tweede") are not, not even in pairs. General words (a subset of the matched
    words) only support: the evidence must hold without them.
    """
    own = [word for word in matched if word not in general]
    if any(not everyday(word) for word in curated - general):
        return True
    if curated and len(own) >= 2:
        return True
    return sum(not everyday(word, PAIR_ZIPF) for word in own) >= 2
