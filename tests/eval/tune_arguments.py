"""Choose the weights of the argument search (bot/core/retrieval/arguments.py) by cross-validation.

Grid over THEME_WEIGHT (how much a cluster's pooled score counts), CLOSEST_MIN_SCORE and CLOSEST_MIN_COVERAGE
(when a text without a fitting argument is about maatwerk and gets the closest themes), OWN_SCORE (whether
the argument that holds the evidence must reach the threshold by itself) and PHRASE_CONTENT_WORDS (how many
words other than stop words a phrase needs to count as evidence alone). Objective: MRR of the argument
questions (a question that gets nothing counts 0) minus the share of unrelated texts that get any argument;
settings within TIE of the best are taken as equal, and of those the one with the best MRR wins.
Leave one split out: the questions of tests/eval/argumenten.yaml by split and the dev2 split
(dev_argumenten.yaml) are the folds; the unrelated texts (tests/eval/onzin.yaml, those of dev_argumenten.yaml
and, where present, the signal dev split's dev_onzin.yaml) are in every training set. Never the frozen test
split. Prints the choice per fold, its held-out MRR, and the choice over all folds.
Run: .venv/bin/python -m tests.eval.tune_arguments
"""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict

from bot.core.deck import load_deck
from bot.core.retrieval import arguments
from bot.core.search import SearchIndex
from tests.eval.evaluate import HERE, load_cases, load_unrelated

THEME_WEIGHTS = (0.0, 1.0)
MIN_SCORES = (3.0, 14.0)
MIN_COVERAGES = (0.5, 0.7, 1.0)
OWN_SCORES = (True, False)
PHRASE_CONTENT_WORDS = (1, 2)
Setting = tuple[float, float, float, bool, int]


def reciprocal_rank(index: SearchIndex, text: str, expected: set[str]) -> float:
    result = index.arguments(text, top=10)
    ranked = [h.item.id for h in sorted([*result.voor, *result.tegen], key=lambda h: -h.score)]
    return next((1.0 / (i + 1) for i, item_id in enumerate(ranked) if item_id in expected), 0.0)


def measure(
    index: SearchIndex, setting: Setting, folds: dict[str, list[tuple[str, set[str]]]], unrelated: list[str]
) -> tuple[dict[str, list[float]], float]:
    (
        arguments.THEME_WEIGHT,
        arguments.CLOSEST_MIN_SCORE,
        arguments.CLOSEST_MIN_COVERAGE,
        arguments.OWN_SCORE,
        arguments.PHRASE_CONTENT_WORDS,
    ) = setting
    per_fold = {split: [reciprocal_rank(index, t, e) for t, e in cases] for split, cases in folds.items()}
    false_rate = sum(not index.arguments(t).empty for t in unrelated) / len(unrelated)
    return per_fold, false_rate


# Settings whose objective is within this of the best are equally good on this data: of those, the one with
# the highest MRR on the questions (a question answered matters more than an unrelated text left alone).
TIE = 0.001


def choose(
    grid: list[Setting], measured: dict[Setting, tuple[dict[str, list[float]], float]], leave_out: str | None
) -> Setting:
    best = max(objective(*measured[s], leave_out) for s in grid)
    tied = [s for s in grid if objective(*measured[s], leave_out) >= best - TIE]
    return max(tied, key=lambda s: objective(measured[s][0], 0.0, leave_out))


def objective(per_fold: dict[str, list[float]], false_rate: float, leave_out: str | None) -> float:
    rr = [r for split, found in per_fold.items() if split != leave_out for r in found]
    return sum(rr) / len(rr) - false_rate


def main() -> int:
    index = SearchIndex(load_deck(), use_cache=False)
    folds: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for case in load_cases("argumenten.yaml"):
        folds[str(case["split"])].append((str(case["tekst"]), set(case["verwacht"])))  # type: ignore[call-overload]
    unrelated = [t for texts in load_unrelated().values() for t in texts]
    if (HERE / "dev_onzin.yaml").exists():  # the unrelated texts of the signal dev split, where present
        unrelated += [t for texts in load_unrelated("dev_onzin.yaml").values() for t in texts]
    for case in load_cases("dev_argumenten.yaml"):
        if case["verwacht"]:
            folds["dev2"].append((str(case["tekst"]), set(case["verwacht"])))  # type: ignore[call-overload]
        else:
            unrelated.append(str(case["tekst"]))
    grid = list(itertools.product(THEME_WEIGHTS, MIN_SCORES, MIN_COVERAGES, OWN_SCORES, PHRASE_CONTENT_WORDS))
    measured = {setting: measure(index, setting, folds, unrelated) for setting in grid}
    held_out = []
    for split in folds:
        best = choose(grid, measured, split)
        found = measured[best][0][split]
        held_out.extend(found)
        print(f"{split:<10} choice {best}  held-out MRR {sum(found) / len(found):.3f}")
    best = choose(grid, measured, None)
    print(
        f"cross-validated MRR {sum(held_out) / len(held_out):.3f}; choice over all folds {best}: "
        f"objective {objective(*measured[best], None):.3f}, unrelated with arguments {measured[best][1]:.1%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
