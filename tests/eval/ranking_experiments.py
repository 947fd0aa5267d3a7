"""Which changes to the ORDER of signals generalise? Leave-one-split-out cross-validation over the tuned splits.

Every variant re-orders the signals the search shows (the relevance decision, what is shown at all, stays as it
is) from what the search already computes per item: the gain of each query term. A variant's parameter (or a
learned re-ranker's coefficients) is chosen on all splits but one and measured on the one left out, for every
split of tests/eval/signalen.yaml and tests/eval/dev_rangorde.yaml; the frozen split (test_*.yaml) is never read.
Printed per variant: the pooled held-out hit@1 / hit@3, and the held-out figures on dev-rangorde and on the older
splits. A variant is worth shipping only if it beats "as is" there; none of these does (see README, Zoeken).
Run: .venv/bin/python tests/eval/ranking_experiments.py
"""

from __future__ import annotations

import heapq
import math
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.core.deck import load_deck
from bot.core.retrieval.frequency import zipf
from bot.core.retrieval.rules import RULES
from bot.core.retrieval.scoring import STRONGEST_MATCHES, QueryTerm
from bot.core.search import SearchIndex
from tests.eval.evaluate import load_cases

# Words that name who is involved or when, not what the problem is (the "huisarts", "UWV", "jaar").
INSTITUTIONS = (
    "uwv svb duo cak belastingdienst huisarts woningcorporatie corporatie schuldhulp wijkteam zorgverzekeraar "
    "cjib zorgkantoor gemeente ggz ggd reclassering politie school bewindvoerder energieleverancier toeslagen "
    "ziekenhuis apotheek verhuurder"
).split()
TIME_WORDS = "jaar maand maanden week weken dag dagen lang lange tijd vorig destijds eerder".split()
Gains = list[tuple[QueryTerm, float]]
Scorer = Callable[[Gains, float], float]


@dataclass
class Note:
    split: str
    expected: set[str]
    shown: list[str]
    gains: dict[str, Gains]


def notes(index: SearchIndex) -> list[Note]:
    card = index._cards["signalen"]
    cases = [*load_cases("signalen.yaml"), *load_cases("dev_rangorde.yaml")]
    found = []
    for case in cases:
        query = index.query(str(case["tekst"]))
        shown = [hit.item.id for hit in card.rank(query)]
        gains: dict[str, Gains] = defaultdict(list)
        for term in query:
            for doc, gain in card.postings.get(term.key, ()):
                gains[card.items[doc].id].append((term, gain))
        found.append(Note(str(case["split"]), set(case["verwacht"]), shown, gains))  # type: ignore[call-overload]
    return found


def content_words(term: QueryTerm) -> list[str]:
    return [word for word in term.word.split() if word not in RULES.stopwords] or [term.word]


def in_list(keys: set[str]) -> Callable[[QueryTerm], bool]:
    def check(term: QueryTerm) -> bool:
        words = [w for w in term.key.split() if w not in RULES.stopwords]
        return bool(words) and all(w in keys for w in words)

    return check


def strongest(values: list[float], top: int = STRONGEST_MATCHES) -> float:
    return sum(heapq.nlargest(top, values))


def weighted(factor: Callable[[QueryTerm, float], float]) -> Scorer:
    return lambda gains, p: strongest([t.weight * g * factor(t, p) for t, g in gains])


def concepts(gains: Gains, rest: float) -> float:
    """Terms from the same words of the text (a word and the phrase around it, a word and its synonyms) are one
    concept: its best gain counts, the others `rest` as much."""
    groups: list[tuple[set[str], list[float]]] = []
    for gain, words in sorted(((t.weight * g, set(content_words(t))) for t, g in gains), key=lambda p: -p[0]):
        for group_words, group_gains in groups:
            if words <= group_words or group_words <= words:
                group_words |= words
                group_gains.append(gain)
                break
        else:
            groups.append((words, [gain]))
    return strongest([found[0] + rest * sum(found[1:]) for _, found in groups])


CONTEXT = in_list({RULES.key(w) for w in INSTITUTIONS + TIME_WORDS})


def dutch_rarity(term: QueryTerm, level: float) -> float:
    """Half weight for a term whose only word is at least this common in Dutch (wordfreq Zipf)."""
    words = content_words(term)
    return 0.5 if len(words) == 1 and zipf(words[0]) >= level else 1.0


VARIANTS: dict[str, tuple[Scorer, list[float]]] = {
    "as is": (lambda gains, p: strongest([t.weight * g for t, g in gains]), [0.0]),
    "institution and time words x p": (weighted(lambda t, p: p if CONTEXT(t) else 1.0), [0.25, 0.5, 0.7]),
    "everyday words (Zipf >= p) x 0.5": (weighted(dutch_rarity), [5.0, 5.3, 5.6]),
    "one concept, rest counts p": (concepts, [0.0, 0.25, 0.5]),
    "strongest p matches": (lambda gains, p: strongest([t.weight * g for t, g in gains], int(p)), [3, 4, 6, 8]),
    "synonyms x p": (weighted(lambda t, p: p if t.weight < 1 else 1.0), [0.0, 0.5, 1.5]),
    "phrases x p": (weighted(lambda t, p: p if " " in t.key else 1.0), [0.5, 0.75, 1.5]),
}


def hits(group: list[Note], order: Callable[[Note], list[str]]) -> tuple[int, int]:
    at1 = at3 = 0
    for note in group:
        ranked = order(note)
        rank = next((i for i, item in enumerate(ranked) if item in note.expected), None)
        at1 += rank == 0
        at3 += rank is not None and rank < 3
    return at1, at3


def by_score(scorer: Scorer, p: float) -> Callable[[Note], list[str]]:
    return lambda note: sorted(note.shown, key=lambda item: (-scorer(note.gains[item], p), item))


# The learned re-ranker: a pairwise logistic regression (expected item above another shown item) over these
# features of an item's matches.
def features(gains: Gains, best: float) -> list[float]:
    top = sorted(((t.weight * g, t) for t, g in gains), key=lambda p: -p[0])[:STRONGEST_MATCHES]
    total = sum(g for g, _ in top) or 1e-9
    words = {t.word for t, _ in gains if not t.office and not t.common_part}
    return [
        math.log1p(total),
        total / best if best else 0.0,
        sum(g for g, t in top if CONTEXT(t)) / total,  # share from institution and time words
        math.log1p(len(words)),  # distinct words of the text matched
        sum(g for g, t in top if " " in t.key) / total,  # share from phrases
        sum(g for g, t in top if t.weight < 1) / total,  # share from synonyms
        sum(g * min(zipf(w) for w in content_words(t)) for g, t in top) / total,  # how common in Dutch
        top[0][0] / total if top else 0.0,  # share of the strongest match
    ]


_VECTORS: dict[int, dict[str, list[float]]] = {}


def vectors(note: Note) -> dict[str, list[float]]:
    if id(note) not in _VECTORS:
        best = max((strongest([t.weight * g for t, g in note.gains[i]]) for i in note.shown), default=0.0)
        _VECTORS[id(note)] = {item: features(note.gains[item], best) for item in note.shown}
    return _VECTORS[id(note)]


def train(group: list[Note], l2: float) -> list[float]:
    pairs = []
    for note in group:
        found = vectors(note)
        for good in note.shown:
            if good in note.expected:
                pairs += [
                    [a - b for a, b in zip(found[good], found[bad], strict=True)]
                    for bad in note.shown
                    if bad not in note.expected
                ]
    if not pairs:
        return [1.0] + [0.0] * 7
    d = len(pairs[0])
    scale = [math.sqrt(sum(x[j] ** 2 for x in pairs) / len(pairs)) or 1.0 for j in range(d)]
    w = [0.0] * d
    for _ in range(150):  # gradient descent on the L2-penalised pairwise log-loss, standardised features
        grad = [l2 * wj for wj in w]
        for x in pairs:
            z = sum(wj * xj / sj for wj, xj, sj in zip(w, x, scale, strict=True))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            for j in range(d):
                grad[j] += (p - 1) * x[j] / scale[j] / len(pairs)
        w = [wj - 1.0 * gj for wj, gj in zip(w, grad, strict=True)]
    return [wj / sj for wj, sj in zip(w, scale, strict=True)]


def by_model(w: list[float]) -> Callable[[Note], list[str]]:
    def order(note: Note) -> list[str]:
        found = vectors(note)
        return sorted(note.shown, key=lambda i: (-sum(a * b for a, b in zip(w, found[i], strict=True)), i))

    return order


def main() -> int:
    data = notes(SearchIndex(load_deck(), use_cache=False))
    splits = list(dict.fromkeys(note.split for note in data))
    print(f"{'variant (parameter chosen on the other splits)':<48} {'held out':>12} {'dev-rangorde':>13} {'older':>13}")
    rows: dict[str, Callable[[list[Note]], Callable[[Note], list[str]]]] = {}
    for name, (scorer, params) in VARIANTS.items():

        def choose(
            train_notes: list[Note], scorer: Scorer = scorer, params: list[float] = params
        ) -> Callable[[Note], list[str]]:
            best = max(params, key=lambda p: sum(hits(train_notes, by_score(scorer, p))))
            return by_score(scorer, best)

        rows[name] = choose
    rows["learned pairwise re-ranker (L2 1.0)"] = lambda train_notes: by_model(train(train_notes, 1.0))
    for name, choose in rows.items():
        per_split = {}
        for split in splits:
            held = [n for n in data if n.split == split]
            per_split[split] = (len(held), *hits(held, choose([n for n in data if n.split != split])))
        print(
            f"{name:<48} {_fmt(per_split.values())} {_fmt([per_split['dev-rangorde']])} "
            f"{_fmt([v for k, v in per_split.items() if k != 'dev-rangorde'])}"
        )
    return 0


def _fmt(rows: object) -> str:
    found = list(rows)  # type: ignore[call-overload]
    n = sum(r[0] for r in found)
    return f"{sum(r[1] for r in found) / n:6.1%}/{sum(r[2] for r in found) / n:6.1%}"


if __name__ == "__main__":
    sys.exit(main())
