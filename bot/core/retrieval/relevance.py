"""The relevance decision: whether a text is a case note at all (a learned model over the whole text), and
whether the words an item shares with it are evidence, not chance (a hand rule per item)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.core.retrieval.frequency import everyday, zipf
from bot.core.retrieval.rules import TextRules, fold

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


# The learned decision whether a text is a case note at all (tests/eval/train_relevance.py writes its
# coefficients; no pickles): a logistic regression over what the search computes for the whole text. A text
# that is no case note gets no signal, however well one of its words fits an item ("de buren", "weer gebeld").
MODEL_FILE = Path(__file__).resolve().parent / "relevance_model.json"
FEATURES = (
    "log best score",
    "log items that clear the bar",
    "telling words matched",
    "curated words matched",
    "log words in the text",
    "share of the text's words matched",
    "Zipf of the most specific matched word",
    "rare words of the best item",
    "words for a person in a case",
    "share of the cue words that are office, news and daily life",
    "share of the words that are the writer's own voice, not reported speech",
    "sentences with a person in a case and a curated word",
    "share of the text's words that are common Dutch the search does not know",
)
CUES_SECTION = "relevantie"


# A compound counts for a cue list when it ends with one of its words of at least this many letters (the last
# part says what a Dutch compound is: a "raadsvergadering" is a vergadering), leaving at least COMPOUND_REST
# letters, and the search does not know the whole word ("energieleverancier" and "wijkteam" are case words).
COMPOUND_PART = 5
COMPOUND_REST = 3


@dataclass(frozen=True)
class CueList:
    words: frozenset[str]  # folded, as written
    keys: frozenset[str]
    parts: frozenset[str]  # the folded words that may end a compound

    @classmethod
    def of(cls, words: list[str], key: Callable[[str], str]) -> CueList:
        folded = frozenset(fold(word) for word in words)
        parts = frozenset(word for word in folded if len(word) >= COMPOUND_PART)
        return cls(folded, frozenset(key(word) for word in folded), parts)

    def has(self, word: str, word_key: str, known: Container[str]) -> bool:
        if word_key in self.keys:
            return True
        if word_key in known:
            return False
        ends = range(COMPOUND_PART, len(word) - COMPOUND_REST + 1)
        return any(word[-n:] in self.parts for n in ends)


@dataclass(frozen=True)
class CueCounts:
    """What the word lists of 'relevantie' find in a text (Cues.measure)."""

    person: int = 0  # distinct words for a person in a case
    context: int = 0  # distinct words of office, news and daily life
    writer: float = 0.0  # share of the text's words that are the writer's own voice ("ik", "we"), not reported
    cases: int = 0  # sentences with a person in a case and a curated word
    unknown: float = 0.0  # share of the text's words that are common Dutch but unknown to the search


# A sentence ends at one of these: a person and a case word in the same sentence are about one person's case.
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_SENTENCE_MARK = "zzzeindezinzzz"  # letters only, so that it stays one word of its own
# A word counts as unknown common Dutch when the search has no key for it and it is at least this common
# (wordfreq Zipf): "trainer", "slides", "seizoen", not a typo or an abbreviation ("wkn", "werkfit").
UNKNOWN_ZIPF = 2.0


_LETTERS = re.compile(r"[^\W\d_]+")


def names(text: str) -> set[str]:
    """The words of a text written as names (folded): with a capital inside a sentence ("mevrouw Jansen", "uit
    Utrecht"), or in capitals anywhere ("BSN", "UWV"). A sentence's first word is capitalised by convention."""
    found: set[str] = set()
    for sentence in _SENTENCE_END.split(text):
        for number, match in enumerate(_LETTERS.finditer(sentence)):
            word = match.group()
            if (number and word[0].isupper()) or (len(word) > 1 and word.isupper()):
                found.add(fold(word))
    return found


@dataclass(frozen=True)
class Cues:
    """The lists of content/tekstanalyse.yaml 'relevantie': words that name a person in a case, as written
    ('personen': "bewoners" of a news item are no household), words of office, news and daily life ('context'),
    the words with which writers speak of their own ('eigen': "mijn moeder", "onze zoon" are no persons in
    a case), the words of the writer's own voice ('schrijver': "ik", "we"), the verbs after which a sentence
    reports what someone else said ('spreken': "mevrouw zegt: ik ...")."""

    person: CueList
    context: CueList
    own: frozenset[str]
    writer: frozenset[str] = frozenset()
    speech: frozenset[str] = frozenset()

    @classmethod
    def load(cls, data: dict[str, Any], key: Callable[[str], str]) -> Cues:
        section = data[CUES_SECTION]

        def words(name: str) -> list[str]:
            return [str(word) for word in section[name]["woorden"]]

        def folded(name: str) -> frozenset[str]:
            return frozenset(fold(word) for word in words(name))

        return cls(
            CueList.of(words("personen"), key),
            CueList.of(words("context"), key),
            folded("eigen"),
            folded("schrijver"),
            folded("spreken"),
        )

    def counts(
        self,
        text_words: list[str],
        key: Callable[[str], str],
        known: Container[str] = (),
        content: Callable[[str], bool] = lambda word: len(word) > 1,
        names: Container[str] = (),
    ) -> CueCounts:
        """How many distinct person words (not right after a word of 'eigen') and context words (also as the
        last part of a compound the search does not know: `known` keys) a text has, and the share of its words
        (`content`: no stop words; `names` do not count either way: "mevrouw Jansen" is no office chat) that are
        common Dutch but whose key the search does not know (person words aside)."""
        person: set[str] = set()
        context: set[str] = set()
        unknown = words = 0
        previous = ""
        for word in text_words:
            word_key = key(word)
            if word in self.person.words and previous not in self.own:
                person.add(word)
            if self.context.has(word, word_key, known):
                context.add(word_key)
            if content(word) and word not in names:
                words += 1
                unknown += word_key not in known and word not in self.person.words and zipf(word) > UNKNOWN_ZIPF
            previous = word
        return CueCounts(len(person), len(context), 0.0, 0, unknown / max(words, 1))

    def measure(
        self, text: str, text_words: list[str], rules: TextRules, known: Container[str], curated: set[str]
    ) -> CueCounts:
        """Cues.counts of a text's words and Cues.sentences of its sentences."""
        counts = self.counts(
            text_words, rules.key, known, lambda word: word not in rules.stopwords and len(word) > 1, names(text)
        )
        cases, writer = self.sentences(text, curated, rules.all_words, text_words)
        return replace(counts, cases=cases, writer=writer / max(len(text_words), 1))

    def sentences(
        self,
        text: str,
        curated: set[str],
        all_words: Callable[[str], list[str]],
        text_words: list[str] | None = None,
    ) -> tuple[int, int]:
        """The sentences of a text with a person in a case and a curated word it shares with an item ("mw zit
        zonder stroom" is about her case; "Opa heeft weer gebeld. Hij ..." is not), and the words of the
        writer's own voice, not after a verb of 'spreken' in the same sentence ("ze zegt: ik kan niet meer").
        One pass over the words: a text of one sentence has them already (`text_words`), a longer one marks the
        ends of its sentences with a word no text has."""
        if text_words is not None and sum(1 for part in _SENTENCE_END.split(text) if part.strip()) <= 1:
            words = text_words
        else:
            words = all_words(_SENTENCE_END.sub(f" {_SENTENCE_MARK} ", fold(text)))
        cases = writer = 0
        person = said = False
        present: set[str] = set()
        previous = ""
        for word in [*words, _SENTENCE_MARK]:
            if word == _SENTENCE_MARK:
                cases += person and any(all(part in present for part in entry.split()) for entry in curated)
                person = said = False
                present = set()
                previous = ""
                continue
            present.add(word)
            person = person or (word in self.person.words and previous not in self.own)
            said = said or word in self.speech
            writer += word in self.writer and not said
            previous = word
        return cases, writer


def note_features(
    scores: list[float],
    telling: set[str],
    curated: set[str],
    top_rare: int,
    text_words: int,
    cues: CueCounts,
) -> list[float]:
    """The feature vector of a text (FEATURES), from the scores of the items that clear the bar (strongest
    first), the telling and curated words it shares with any item, the rare words of the best item, its number
    of words and what the word lists find (Cues.counts, Cues.cases). Context words count as a share of both
    them and person words: "hond" or "weekend" in a note about "meneer" says less than in a chat about the
    weekend."""
    single = [zipf(word) for word in telling if " " not in word]
    person, context = cues.person, cues.context
    return [
        math.log1p(scores[0]),
        math.log1p(len(scores)),
        float(len(telling)),
        float(len(curated)),
        math.log1p(text_words),
        len(telling) / max(text_words, 1),
        min(single, default=0.0),
        float(top_rare),
        float(person),
        context / max(person + context, 1),
        cues.writer,
        float(cues.cases),
        cues.unknown,
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
