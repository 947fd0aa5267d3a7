"""The relevance decision: whether the words an item shares with a text are evidence, not chance."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

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


# The learned decision (tests/eval/train_relevance.py writes its coefficients; no pickles): a logistic
# regression over what the search computes for each candidate item.
MODEL_FILE = Path(__file__).resolve().parent / "relevance_model.json"
FEATURES = (
    "log score",
    "score / best score",
    "gap to the next item",
    "rank",
    "matched words",
    "telling words",
    "curated words",
    "general words",
    "rare words (pairs)",
    "phrases",
    "hand rule says evidence",
    "words in the text (log)",
    "share of the text's words matched",
)


def features(
    scores: list[float], rank: int, counts: tuple[int, int, int, int, int, int], evidence: bool, text_words: int
) -> list[float]:
    """The feature vector of the candidate at `rank` among candidates with these scores (strongest first)."""
    score = scores[rank]
    following = scores[rank + 1] if rank + 1 < len(scores) else 0.0
    matched, telling, curated, general, pairs, phrases = counts
    return [
        math.log1p(score),
        score / scores[0] if scores[0] else 0.0,
        score - following,
        float(rank),
        float(matched),
        float(telling),
        float(curated),
        float(general),
        float(pairs),
        float(phrases),
        float(evidence),
        math.log1p(text_words),
        matched / text_words if text_words else 0.0,
    ]


@dataclass(frozen=True)
class RelevanceModel:
    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> RelevanceModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if list(data["features"]) != list(FEATURES):
            raise ValueError(f"{path.name}: other features than this code computes")
        return cls(
            tuple(float(w) for w in data["weights"]),
            float(data["bias"]),
            tuple(float(m) for m in data["means"]),
            tuple(float(s) for s in data["scales"]),
            float(data["threshold"]),
        )

    def probability(self, vector: list[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, vector, self.means, self.scales, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def relevant(self, vector: list[float]) -> bool:
        return self.probability(vector) >= self.threshold
