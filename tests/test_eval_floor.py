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
    assert dev.hit3 >= 0.85
    assert dev.hit1 >= 0.55
    assert arguments.hit5 >= 0.80
    assert dev.mrr > baseline.mrr + 0.15
    assert isinstance(results["onzin/false-positive-rate"], float)
    assert results["onzin/false-positive-rate"] <= 0.10
