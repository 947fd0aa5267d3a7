"""Regression floor for retrieval quality, well below the measured figures (see tests/eval/evaluate.py)."""

from tests.eval.evaluate import Scores, evaluate


def test_retrieval_stays_above_the_floor_and_beats_plain_bm25() -> None:
    results = evaluate()
    dev = results["signalen/dev"]
    baseline = results["signalen/dev/baseline"]
    arguments = results["argumenten/dev"]
    assert isinstance(dev, Scores)
    assert isinstance(baseline, Scores)
    assert isinstance(arguments, Scores)
    # Measured 2026-11-25: dev hit@3 100 %, hit@1 96 %, arguments hit@5 100 %, MRR 0.98 against 0.54,
    # no false positives, both sides shown for 99 % of argument queries.
    assert dev.hit3 >= 0.90
    assert dev.hit1 >= 0.75
    assert arguments.hit5 >= 0.90
    assert dev.mrr > baseline.mrr + 0.25
    assert isinstance(results["onzin/false-positive-rate"], float)
    assert results["onzin/false-positive-rate"] <= 0.05
    assert isinstance(results["argumenten/voor-en-tegen"], float)
    assert results["argumenten/voor-en-tegen"] >= 0.90
