"""Measure retrieval on the labelled set: hit@1, hit@3 (signals), hit@5 (arguments), MRR, false positives.

Compares the search index with a plain BM25 over Snowball-stemmed words (no lemmas, compounds,
synonyms or threshold) in the same run. The ranking measures come from ir-measures (trec_eval's
Success@k and RR); a query that finds nothing counts as a miss. The frozen test split (test_*.yaml,
written independently and never tuned on) is reported as its own split, "test".
Run: .venv/bin/python tests/eval/evaluate.py
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ir_measures
import Stemmer
import yaml
from ir_measures import RR, Success

from bot.core.deck import Deck, load_deck
from bot.core.models import CardId
from bot.core.retrieval.analysis import fold, words
from bot.core.search import SearchIndex

HERE = Path(__file__).resolve().parent
Ranker = Callable[[str], list[str]]


@dataclass
class Scores:
    n: int
    hit1: float
    hit3: float
    hit5: float
    mrr: float

    def line(self, label: str) -> str:
        return (
            f"{label:<44} n={self.n:>3}  hit@1={self.hit1:6.1%}  hit@3={self.hit3:6.1%}  "
            f"hit@5={self.hit5:6.1%}  MRR={self.mrr:.3f}"
        )


def load_cases(name: str) -> list[dict[str, object]]:
    return list(yaml.safe_load((HERE / name).read_text(encoding="utf-8")))


def load_unrelated(name: str = "onzin.yaml") -> dict[str, list[str]]:
    """The unrelated texts by kind: 'gewoon' (everyday) and 'lastig' (written to contain card words)."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return {kind: [str(text) for text in texts] for kind, texts in data.items()}


MEASURES = (Success @ 1, Success @ 3, Success @ 5, RR)


def score(cases: list[dict[str, object]], rank: Ranker) -> Scores:
    """hit@1/3/5 and MRR of a ranker over labelled cases, computed by ir-measures."""
    if not cases:
        return Scores(0, 0.0, 0.0, 0.0, 0.0)
    qrels = [
        ir_measures.Qrel(str(number), str(item_id), 1)
        for number, case in enumerate(cases)
        for item_id in case["verwacht"]  # type: ignore[attr-defined]
    ]
    run = []
    for number, case in enumerate(cases):
        ranked = rank(str(case["tekst"]))
        # Scores by rank, so that trec_eval keeps our order (it breaks score ties by document id).
        run.extend(
            ir_measures.ScoredDoc(str(number), item_id, float(len(ranked) - i)) for i, item_id in enumerate(ranked)
        )
    found = ir_measures.calc_aggregate(MEASURES, qrels, run)
    hit1, hit3, hit5, mrr = (float(found[measure]) for measure in MEASURES)
    return Scores(len(cases), hit1, hit3, hit5, mrr)


class PlainBM25:
    """The baseline: BM25 over Snowball-stemmed words of the item text."""

    def __init__(self, deck: Deck, card_id: CardId) -> None:
        self.stemmer = Stemmer.Stemmer("dutch_porter")
        self.items = deck.items(card_id)
        self.docs = [Counter(self._terms(item.tekst)) for item in self.items]
        self.avg = sum(sum(d.values()) for d in self.docs) / len(self.docs)
        df: Counter[str] = Counter(term for doc in self.docs for term in doc)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def _terms(self, text: str) -> list[str]:
        return [self.stemmer.stemWord(w) for w in words(fold(text))]

    def rank(self, text: str) -> list[str]:
        query = set(self._terms(text))
        scored = []
        for item, doc in zip(self.items, self.docs, strict=True):
            length = sum(doc.values())
            s = sum(
                self.idf[t] * doc[t] * 2.2 / (doc[t] + 1.2 * (0.25 + 0.75 * length / self.avg))
                for t in query
                if t in doc
            )
            if s > 0:
                scored.append((s, item.id))
        return [item_id for _, item_id in sorted(scored, key=lambda p: (-p[0], p[1]))]


def evaluate(deck: Deck | None = None) -> dict[str, Scores | float]:
    deck = deck or load_deck()
    index = SearchIndex(deck)
    signal_base = PlainBM25(deck, "signalen")
    argument_base = PlainBM25(deck, "argumenten")
    signals = load_cases("signalen.yaml")
    arguments = load_cases("argumenten.yaml")
    unrelated = load_unrelated()

    def ours_signals(text: str) -> list[str]:
        return [h.item.id for h in index.signals(text, top=10)]

    def ours_arguments(text: str) -> list[str]:
        result = index.arguments(text, top=10)
        merged = sorted(result.voor + result.tegen, key=lambda h: -h.score)
        return [h.item.id for h in merged]

    results: dict[str, Scores | float] = {}
    splits = list(dict.fromkeys(str(c["split"]) for c in [*signals, *arguments]))  # in order of writing
    for split in splits:
        s_cases = [c for c in signals if c["split"] == split]
        a_cases = [c for c in arguments if c["split"] == split]
        results[f"signalen/{split}"] = score(s_cases, ours_signals)
        results[f"signalen/{split}/baseline"] = score(s_cases, signal_base.rank)
        results[f"argumenten/{split}"] = score(a_cases, ours_arguments)
        results[f"argumenten/{split}/baseline"] = score(a_cases, argument_base.rank)
    # Everything written after the dev split, pooled: the closest thing to unseen notes.
    later_signals = [c for c in signals if c["split"] != "dev"]
    later_arguments = [c for c in arguments if c["split"] != "dev"]
    results["signalen/na-dev"] = score(later_signals, ours_signals)
    results["signalen/na-dev/baseline"] = score(later_signals, signal_base.rank)
    results["argumenten/na-dev"] = score(later_arguments, ours_arguments)
    results["argumenten/na-dev/baseline"] = score(later_arguments, argument_base.rank)
    rangorde = load_cases("dev_rangorde.yaml")  # issue 16's dev split for the order of signals (tuned on)
    results["signalen/dev-rangorde"] = score(rangorde, ours_signals)
    results["signalen/dev-rangorde/baseline"] = score(rangorde, signal_base.rank)
    for kind in dict.fromkeys(str(c["soort"]) for c in rangorde):
        results[f"signalen/dev-rangorde/{kind}"] = score([c for c in rangorde if c["soort"] == kind], ours_signals)
    results.update(_dev_split(index, ours_signals, signal_base))
    for name in FRESH_ROUNDS:
        results.update(_fresh_round(name, index, ours_signals))
    results.update(_test_split(index, ours_signals, ours_arguments, signal_base, argument_base))
    results.update(_dev_arguments(index, ours_arguments, argument_base))
    both_sides = [index.arguments(str(c["tekst"])) for c in arguments]
    results["argumenten/voor-en-tegen"] = sum(1 for r in both_sides if r.voor and r.tegen) / len(both_sides)
    for kind, texts in unrelated.items():
        false_pos = [t for t in texts if index.signals(t) or not index.arguments(t).empty]
        results[f"onzin/{kind}/false-positive-rate"] = len(false_pos) / len(texts)
        results[f"onzin/{kind}/signaal-rate"] = sum(1 for t in texts if index.signals(t)) / len(texts)
        results[f"onzin/{kind}/baseline-false-positive-rate"] = sum(
            1 for t in texts if signal_base.rank(t) or argument_base.rank(t)
        ) / len(texts)
    return results


def _dev_split(index: SearchIndex, signals: Ranker, signal_base: PlainBM25) -> dict[str, Scores | float]:
    """The dev split of issue 16 (dev_*.yaml, split "dev2"): written fresh before that round, then tuned on."""
    results: dict[str, Scores | float] = {}
    s_cases = load_cases("dev_signalen.yaml")
    results["signalen/dev2"] = score(s_cases, signals)
    results["signalen/dev2/baseline"] = score(s_cases, signal_base.rank)
    for kind in dict.fromkeys(str(c["soort"]) for c in s_cases):
        results[f"signalen/dev2/{kind}"] = score([c for c in s_cases if c["soort"] == kind], signals)
    unrelated = load_unrelated("dev_onzin.yaml")
    for kind, texts in unrelated.items():
        results[f"onzin/dev2/{kind}/signaal-rate"] = sum(1 for t in texts if index.signals(t)) / len(texts)
    every = [text for texts in unrelated.values() for text in texts]
    results["onzin/dev2/signaal-rate"] = sum(1 for t in every if index.signals(t)) / len(every)
    return results


# Later rounds of the dev split, each a file pair devN_signalen.yaml / devN_onzin.yaml measured at writing first.
FRESH_ROUNDS = ("dev5", "dev6", "dev7")


def _fresh_round(name: str, index: SearchIndex, signals: Ranker) -> dict[str, Scores | float]:
    """A later round of the dev split: its notes (and the share with no signal at all) and its unrelated texts."""
    cases = load_cases(f"{name}_signalen.yaml")
    results: dict[str, Scores | float] = {f"signalen/{name}": score(cases, signals)}
    results[f"signalen/{name}/geen-signaal"] = sum(not index.signals(str(c["tekst"])) for c in cases) / len(cases)
    unrelated = load_unrelated(f"{name}_onzin.yaml")
    for kind, texts in unrelated.items():
        results[f"onzin/{name}/{kind}/signaal-rate"] = sum(1 for t in texts if index.signals(t)) / len(texts)
    every = [text for texts in unrelated.values() for text in texts]
    results[f"onzin/{name}/signaal-rate"] = sum(1 for t in every if index.signals(t)) / len(every)
    return results


def _test_split(
    index: SearchIndex, signals: Ranker, arguments: Ranker, signal_base: PlainBM25, argument_base: PlainBM25
) -> dict[str, Scores | float]:
    """The frozen test split (test_*.yaml): written independently from the card texts, never tuned on."""
    results: dict[str, Scores | float] = {}
    s_cases = load_cases("test_signalen.yaml")
    a_cases = load_cases("test_argumenten.yaml")
    results["signalen/test"] = score(s_cases, signals)
    results["signalen/test/baseline"] = score(s_cases, signal_base.rank)
    for kind in dict.fromkeys(str(c["soort"]) for c in s_cases):
        results[f"signalen/test/{kind}"] = score([c for c in s_cases if c["soort"] == kind], signals)
    results["argumenten/test"] = score(a_cases, arguments)
    results["argumenten/test/baseline"] = score(a_cases, argument_base.rank)
    found = [index.arguments(str(c["tekst"])) for c in a_cases]
    results["argumenten/test/leeg"] = sum(r.empty for r in found) / len(found)
    asked = [r for c, r in zip(a_cases, found, strict=True) if c.get("beide_kanten")]
    results["argumenten/test/voor-en-tegen-gevraagd"] = sum(bool(r.voor and r.tegen) for r in asked) / len(asked)
    unrelated = load_unrelated("test_onzin.yaml")
    every = [text for texts in unrelated.values() for text in texts]
    for kind, texts in unrelated.items():
        results[f"onzin/test/{kind}/false-positive-rate"] = sum(
            1 for t in texts if index.signals(t) or not index.arguments(t).empty
        ) / len(texts)
    results["onzin/test/signaal-rate"] = sum(1 for t in every if index.signals(t)) / len(every)
    results["onzin/test/baseline-false-positive-rate"] = sum(
        1 for t in every if signal_base.rank(t) or argument_base.rank(t)
    ) / len(every)
    return results


def _dev_arguments(index: SearchIndex, arguments: Ranker, argument_base: PlainBM25) -> dict[str, Scores | float]:
    """The argument dev split of issue 16 (dev_argumenten.yaml, split "dev2"): written fresh, then tuned on.
    Its texts with nothing expected are not about maatwerk: any argument on them is a false positive."""
    cases = load_cases("dev_argumenten.yaml")
    asked = [c for c in cases if c["verwacht"]]
    found = [index.arguments(str(c["tekst"])) for c in asked]
    both = [r for c, r in zip(asked, found, strict=True) if c.get("beide_kanten")]
    unrelated = [str(c["tekst"]) for c in cases if not c["verwacht"]]
    return {
        "argumenten/dev2": score(asked, arguments),
        "argumenten/dev2/baseline": score(asked, argument_base.rank),
        "argumenten/dev2/leeg": sum(r.empty for r in found) / len(found),
        "argumenten/dev2/voor-en-tegen-gevraagd": sum(bool(r.voor and r.tegen) for r in both) / len(both),
        "onzin/dev2/argument-rate": sum(not index.arguments(t).empty for t in unrelated) / len(unrelated),
    }


def main() -> int:
    results = evaluate()
    for label, value in results.items():
        print(value.line(label) if isinstance(value, Scores) else f"{label:<44} {value:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
