"""Find the words of a phrase close together in a text."""

from __future__ import annotations

from collections import Counter


def phrase_at(needed: Counter[str], positions: dict[str, list[int]], window: int) -> list[int] | None:
    """The positions of the words of a phrase (its keys, counted) in a text: every key at its own
    position, all of them within `window` words of each other, the tightest such spot first.
    None when the text lacks it."""
    if any(len(positions.get(k, ())) < count for k, count in needed.items()):
        return None
    occurrences = sorted((p, k) for k in needed for p in positions[k])
    best: list[int] | None = None
    for i, (start, _) in enumerate(occurrences):
        seen: Counter[str] = Counter()
        used: list[int] = []
        for position, k in occurrences[i:]:
            if position - start >= window:
                break
            if seen[k] < needed[k]:
                seen[k] += 1
                used.append(position)
        if seen == needed and (best is None or used[-1] - used[0] < best[-1] - best[0]):
            best = used
    return best
