"""Train the learned relevance decision for signals on the older labelled splits, never on the frozen one.

A logistic regression (fitted by Newton's method in plain Python: 13 features, a few thousand candidates)
over what the search computes for each candidate item (bot/core/retrieval/relevance.py FEATURES). Positive:
an expected signal of a note of tests/eval/signalen.yaml; negative: the other candidates of that note and
every candidate of the unrelated texts of tests/eval/onzin.yaml. The threshold is chosen by leave-one-split-out
cross-validation over those splits. Writes bot/core/retrieval/relevance_model.json (coefficients, no pickles).
Run: .venv/bin/python tests/eval/train_relevance.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.core.deck import load_deck
from bot.core.retrieval.analysis import words
from bot.core.retrieval.relevance import FEATURES, MODEL_FILE, features
from bot.core.search import SearchIndex
from tests.eval.evaluate import load_cases, load_unrelated

CANDIDATES = 10  # the model decides on the strongest this many items of a text
L2 = 1.0
THRESHOLDS = [t / 100 for t in range(5, 96, 5)]
Sample = tuple[list[float], int]


def texts_with_candidates(index: SearchIndex) -> list[tuple[str, set[str], list[tuple[str, list[float]]]]]:
    """(group, expected ids, [(item id, features)]) per text: the notes by split, the unrelated texts in folds."""
    card = index._cards["signalen"]
    rows = []
    cases = [(str(c["split"]), set(c["verwacht"]), str(c["tekst"])) for c in load_cases("signalen.yaml")]  # type: ignore[call-overload]
    splits = sorted({group for group, _, _ in cases})
    unrelated = [text for texts in load_unrelated().values() for text in texts]
    cases += [(splits[i % len(splits)], set(), text) for i, text in enumerate(unrelated)]
    for group, expected, text in cases:
        found = card.candidates(index.query(text))[:CANDIDATES]
        scores = [c.hit.score for c in found]
        n = len(words(text))
        vectors = [
            (
                c.hit.item.id,
                features(scores, i, (c.matched, c.telling, c.curated, c.general, c.pairs, c.phrases), c.evidence, n),
            )
            for i, c in enumerate(found)
        ]
        rows.append((group, expected, vectors))
    return rows


def fit(samples: list[Sample]) -> tuple[list[float], float, list[float], list[float]]:
    d = len(FEATURES)
    means = [sum(x[j] for x, _ in samples) / len(samples) for j in range(d)]
    scales = [math.sqrt(sum((x[j] - means[j]) ** 2 for x, _ in samples) / len(samples)) or 1.0 for j in range(d)]
    data = [([1.0] + [(x[j] - means[j]) / scales[j] for j in range(d)], y) for x, y in samples]
    w = [0.0] * (d + 1)
    for _ in range(25):  # Newton's method on the L2-penalised log-likelihood
        grad = [L2 * w[j] if j else 0.0 for j in range(d + 1)]
        hess = [[(L2 if i == j and i else 0.0) for j in range(d + 1)] for i in range(d + 1)]
        for x, y in data:
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, x, strict=True))))))
            for i in range(d + 1):
                grad[i] += (p - y) * x[i]
                weight = p * (1 - p) * x[i]
                for j in range(i, d + 1):
                    hess[i][j] += weight * x[j]
        for i in range(d + 1):
            for j in range(i):
                hess[i][j] = hess[j][i]
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w[1:], w[0], means, scales


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def probability(model: tuple[list[float], float, list[float], list[float]], x: list[float]) -> float:
    w, b, means, scales = model
    z = b + sum(wj * (xj - m) / s for wj, xj, m, s in zip(w, x, means, scales, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def outcome(expected: set[str], shown: list[str]) -> tuple[int, int, int]:
    """(hit@1, hit@3, any shown) of the items shown for one text."""
    first = next((i for i, item_id in enumerate(shown) if item_id in expected), None)
    return int(first is not None and first < 1), int(first is not None and first < 3), int(bool(shown))


def main() -> int:
    index = SearchIndex(load_deck())
    rows = texts_with_candidates(index)
    groups = sorted({group for group, _, _ in rows})
    predicted: list[tuple[set[str], list[tuple[str, float]]]] = []
    for held_out in groups:  # leave one split out
        train = [(x, int(item_id in expected)) for g, expected, v in rows if g != held_out for item_id, x in v]
        model = fit(train)
        predicted += [
            (expected, [(item_id, probability(model, x)) for item_id, x in v])
            for g, expected, v in rows
            if g == held_out
        ]
    best = None
    for threshold in THRESHOLDS:
        notes = [outcome(e, [i for i, p in found if p >= threshold]) for e, found in predicted if e]
        unrelated = [outcome(e, [i for i, p in found if p >= threshold]) for e, found in predicted if not e]
        hit1 = sum(o[0] for o in notes) / len(notes)
        hit3 = sum(o[1] for o in notes) / len(notes)
        false_pos = sum(o[2] for o in unrelated) / len(unrelated)
        objective = (hit1 + hit3) / 2 - false_pos
        print(
            f"threshold {threshold:.2f}  CV hit@1 {hit1:6.1%}  hit@3 {hit3:6.1%}  "
            f"unrelated with a signal {false_pos:6.1%}"
        )
        if best is None or objective > best[0]:
            best = (objective, threshold)
    assert best is not None
    w, b, means, scales = fit([(x, int(item_id in expected)) for _, expected, v in rows for item_id, x in v])
    MODEL_FILE.write_text(
        json.dumps(
            {
                "about": "Logistic regression for the relevance of a signal; written by tests/eval/train_relevance.py",
                "trained_on": "tests/eval/signalen.yaml (all splits) and tests/eval/onzin.yaml; not the frozen split",
                "features": list(FEATURES),
                "weights": [round(x, 6) for x in w],
                "bias": round(b, 6),
                "means": [round(x, 6) for x in means],
                "scales": [round(x, 6) for x in scales],
                "threshold": best[1],
                "candidates": CANDIDATES,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"chosen threshold {best[1]:.2f}; wrote {MODEL_FILE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
