"""Regression floor for retrieval quality, well below the measured figures (see tests/eval/evaluate.py)."""

from functools import cache

from tests.eval.evaluate import Scores, evaluate

results_once = cache(evaluate)


def test_retrieval_stays_above_the_floor_and_beats_plain_bm25() -> None:
    results = results_once()
    dev = results["signalen/dev"]
    baseline = results["signalen/dev/baseline"]
    arguments = results["argumenten/dev"]
    assert isinstance(dev, Scores)
    assert isinstance(baseline, Scores)
    assert isinstance(arguments, Scores)
    # Measured 2026-11-25: dev hit@3 100 %, hit@1 91 %, arguments hit@5 100 %, MRR 0.96 against 0.55,
    # no false positives on 56 everyday texts and 19 on 70 written to trip it up (plain BM25: 29 % and 74 %),
    # both sides shown for every argument query.
    assert dev.hit3 >= 0.90
    assert dev.hit1 >= 0.75
    assert arguments.hit5 >= 0.90
    assert dev.mrr > baseline.mrr + 0.25
    assert isinstance(results["onzin/gewoon/false-positive-rate"], float)
    assert results["onzin/gewoon/false-positive-rate"] <= 0.03
    assert isinstance(results["onzin/lastig/false-positive-rate"], float)
    assert results["onzin/lastig/false-positive-rate"] <= 0.30
    assert isinstance(results["argumenten/voor-en-tegen"], float)
    assert results["argumenten/voor-en-tegen"] >= 0.90


def test_later_splits_stay_above_the_floor() -> None:
    results = results_once()
    signals = results["signalen/na-dev"]
    arguments = results["argumenten/na-dev"]
    assert isinstance(signals, Scores)
    assert isinstance(arguments, Scores)
    # Measured 2026-11-25 over 463 notes and 194 argument queries: hit@3 100 %, hit@1 86 %, hit@5 100 %.
    assert signals.n >= 250
    assert signals.hit3 >= 0.85
    assert signals.hit1 >= 0.70
    assert arguments.hit5 >= 0.85


def test_frozen_test_split_stays_at_its_at_writing_figures() -> None:
    """The frozen split (tests/eval/test_*.yaml) was written independently on 2026-12-01 and is never tuned on.

    Headline, measured at writing on main a04d733 before any change of that round: signals (70 notes) hit@1 77.1 %,
    hit@3 88.6 %, hit@5 97.1 %, MRR 0.840 (plain BM25 51.4 / 67.1 / 75.7 %, 0.608); arguments (40 questions)
    hit@5 65.0 %, MRR 0.560 (plain BM25 37.5 %, 0.251), 10 of 40 'Geen argumenten gevonden'; a signal on 23 of 60
    unrelated texts (38.3 %). The issue's goals (hit@1 >= 0.80, hit@3 >= 0.95, arguments hit@5 >= 0.90, at most
    1 in 25 unrelated texts with a signal) are not reached; this floor only keeps the figures from falling.
    Arguments after the plain-language round of issue 16 (bridge, clusters, closest themes; measured once on the
    finished change, never tuned on): hit@5 90.0 %, hit@1 75.0 %, MRR 0.818, 0 of 40 'Geen argumenten gevonden'.

    After the learned case-note decision (issue 16, branch precision; trained and its threshold chosen on the older
    splits and dev2, never on this split), measured: a signal on 4 of 60 unrelated texts (6.7 %; earlier versions
    of the decision 5.0-8.3 %), the signal figures unchanged (77.1 / 88.6 / 97.1 %, MRR 0.840). After merging the
    ranking round ("jaren" apart from "jaar": 75.7 / 90.0 / 97.1 %, MRR 0.836) and refitting the decision with
    dev_rangorde.yaml added to its training data (decided before measuring it): a signal on 2 of 60 (3.3 %). After
    the second case-note round (13 features, trained with dev5 and dev6, never on this split), measured once: 2 of
    60 (3.3 %), the signal figures unchanged.
    """
    results = results_once()
    signals = results["signalen/test"]
    baseline = results["signalen/test/baseline"]
    arguments = results["argumenten/test"]
    assert isinstance(signals, Scores)
    assert isinstance(baseline, Scores)
    assert isinstance(arguments, Scores)
    assert signals.n == 70
    assert arguments.n == 40
    assert signals.hit1 >= 0.75
    assert signals.hit3 >= 0.86
    assert signals.mrr > baseline.mrr + 0.2
    assert arguments.hit5 >= 0.85
    empty = results["argumenten/test/leeg"]
    assert isinstance(empty, float)
    assert empty <= 0.05
    signal_rate = results["onzin/test/signaal-rate"]
    assert isinstance(signal_rate, float)
    assert signal_rate <= 0.05
    both = results["argumenten/test/voor-en-tegen-gevraagd"]
    assert isinstance(both, float)
    assert both == 1.0


def test_argument_dev_split_stays_above_the_floor() -> None:
    """The argument dev split of issue 16 (tests/eval/dev_argumenten.yaml, 95 questions, 20 unrelated texts),
    written fresh on 2026-12-01 and then TUNED ON (the bridge content/argumentwoorden.yaml was written with its
    questions in view), so its figures are optimistic. At writing: hit@5 64.2 %, 28.4 % empty, both sides 7 of 8;
    after tuning: hit@5 97.9 %, 2.1 % empty, both sides 8 of 8, 2 of 20 unrelated texts with arguments."""
    results = results_once()
    arguments = results["argumenten/dev2"]
    assert isinstance(arguments, Scores)
    assert arguments.hit5 >= 0.93
    empty = results["argumenten/dev2/leeg"]
    assert isinstance(empty, float)
    assert empty <= 0.05
    assert results["argumenten/dev2/voor-en-tegen-gevraagd"] == 1.0
    unrelated = results["onzin/dev2/argument-rate"]
    assert isinstance(unrelated, float)
    assert unrelated <= 0.15


def test_order_of_signals_stays_above_the_floor_on_its_dev_split() -> None:
    """tests/eval/dev_rangorde.yaml: a dev split for the order of signals (issue 16), written on 2026-12-01 before
    that round's changes and tuned on since, so these are dev figures, not held-out ones. At writing hit@1 71.3 %,
    hit@3 87.2 % (plain BM25 20.2 / 34.0 %); after the round 72.3 / 88.3 %."""
    results = results_once()
    order = results["signalen/dev-rangorde"]
    baseline = results["signalen/dev-rangorde/baseline"]
    assert isinstance(order, Scores)
    assert isinstance(baseline, Scores)
    assert order.n == 94
    assert order.hit1 >= 0.70
    assert order.hit3 >= 0.85
    assert order.mrr > baseline.mrr + 0.4


def test_dev2_split_stays_above_the_floor() -> None:
    """The dev split of issue 16 (tests/eval/dev_*.yaml, "dev2"), written fresh on 2026-12-01 in four rounds and
    TUNED ON by the case-note decision, so its figures are no estimate for unseen text.

    Before any change of that round, 132 notes: hit@1 71.2 %, hit@3 90.9 %, hit@5 92.4 %, MRR 0.809; a signal on
    39.7 % of 290 unrelated texts. After the case-note decision (in-sample): the same note figures, a signal on
    5.9 %. The honest estimates are the at-writing figures of its later rounds, each measured before it was
    trained on: a signal on 11.7 % (round 2), 13.3 % (round 3) and 11.1 % (round 4) of its unrelated texts,
    against 43.3, 45.0 and 42.2 % before. After the second case-note round (tuned on): 3.8 %.
    """
    results = results_once()
    signals = results["signalen/dev2"]
    assert isinstance(signals, Scores)
    assert signals.n == 132
    assert signals.hit1 >= 0.69
    assert signals.hit3 >= 0.88
    signal_rate = results["onzin/dev2/signaal-rate"]
    assert isinstance(signal_rate, float)
    assert signal_rate <= 0.07


def test_later_rounds_of_the_case_note_decision() -> None:
    """Rounds dev5, dev6 and dev7 of the dev split (tests/eval/devN_*.yaml, issue 16's second case-note round),
    each written before the version it measures. AT WRITING, unrelated texts with a signal: dev5 12.5 % of 72 (the
    ten-feature decision), dev6 8.3 % of 36 (the new features, trained with dev5), dev7 11.1 % of 36 (the decision
    as it ships; never trained on, so this floor keeps an honest figure from falling). dev5 and dev6 are TUNED ON
    since: 8.3 % each now. Notes: dev7 hit@1 83.3 %, hit@3 83.3 %, 1 of 24 with no signal at writing."""
    results = results_once()
    for name, rate in (("dev5", 0.10), ("dev6", 0.12), ("dev7", 0.14)):
        signal_rate = results[f"onzin/{name}/signaal-rate"]
        assert isinstance(signal_rate, float)
        assert signal_rate <= rate
        silent = results[f"signalen/{name}/geen-signaal"]
        assert isinstance(silent, float)
        assert silent <= 0.05
    notes = results["signalen/dev7"]
    assert isinstance(notes, Scores)
    assert notes.n == 24
    assert notes.hit3 >= 0.80
