"""Dutch text analysis for search: normalise, tokenise, lemmatise + stem, split compounds.

Lemmas come from simplemma (overleed -> overlijden, schulden -> schuld), stems from the original
Snowball Dutch (Porter) stemmer in PyStemmer; the newer 'dutch' stemmer strips ge- (gezin -> zin).
So inflections and spelling variants meet on one key. Compounds (huurachterstand,
schuldhulpverlening) are split against a vocabulary of known keys, because Dutch writes them as one
word and a caseworker's compound rarely appears on the card as such.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import Stemmer
import wordfreq
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_WORD = re.compile(r"[a-z]+")
_STEMMER = Stemmer.Stemmer("dutch_porter")
# Linking sounds between parts of a Dutch compound: betaling-s-achterstand, ziekte-n-huis.
_LINKS = ("", "s", "en", "e", "n")
MIN_PART = 4
# Endings that make a new word, not a compound: eindelijk is not eind + lijk, waarheid not waar + heid.
SUFFIXES = frozenset({"lijk", "lijke", "lijks", "heid", "baar", "bare", "loos", "loze", "schap", "achtig", "achtige"})
# The first part of a compound the deck does not know must be at least this common a Dutch word.
HEAD_ZIPF = 3.0
# Lemmas whose Snowball stem is another word (weten/wet, pers/per, opeens/open, regelen/regel, langs/lang,
# nieuws/nieuw, gelden/geld, gehakt/haaks); found by stemming the 60,000 most frequent Dutch words
# (wordfreq) and reading the collisions, and by reading the misses of the evaluation.
KEEP_APART = frozenset(
    """weten geweldig opeens pers zoon boos vaak plaats mens heen maan overheid arts zaak koop heet rekening
    regelen langs nieuws gelden haaks rede taal""".split()
)
# Where the lemmatiser reads an adjective as a verb form ("verkeerd" -> "verkeren", while
# "verkeerde" -> "verkeerd"), the lemma it should have given.
LEMMA_FIXES = {"verkeerd": "verkeerd"}
# The words of a phrase may stand this many words apart beyond the phrase's own length, in any order:
# Dutch moves verbs around ("wakker liggen", "ligt 's nachts wakker").
PHRASE_SLACK = 4
# Typos: words of at least MIN_TYPO_LENGTH letters may be TYPO_DISTANCE edits from a known word,
# one more from LONG_WORD letters on.
MIN_TYPO_LENGTH = 6
TYPO_DISTANCE = 1
LONG_WORD = 10
# Bounds on pathological input, far above real text: a "word" longer than MAX_WORD_LENGTH letters
# (Dutch compounds in case notes stay under 35) is no word and is skipped; only the first MAX_WORDS
# words of a text are read (a long dossier note has about 200). Without them a 20,000-letter token
# took seconds in typo correction and compound splitting.
MAX_WORD_LENGTH = 40
MAX_WORDS = 500
# How many distinct words keep their analysis (spelling, key, compound parts) cached.
WORD_CACHE_SIZE = 50_000

STOPWORDS = frozenset(
    """
    aan al alle alles het als altijd ben bij binnen daar daarom dan dat de den der deze die dit
    doch doen door dus een eens en er erg even ge geen gehad geweest gij had heb hebben heeft hem her
    hier hij hoe hun iemand iets ik in is ja je jij jou jouw kan kon kunnen maar me meer men met mij mijn moet
    na naar niet niets nog nu of om omdat ons onze ook op over reeds nou sinds steeds te toch toen tot u uit uw
    van veel voor want waren was wat we wel werd wie wij wil worden wordt zal ze zei zelf zich zij zijn zo
    zonder zou zoals hem haar hun hen mevrouw meneer heer dhr mw mr mevr iedereen elke elk ieder net nogal
    best beetje wordt werden geworden zit zitten staat staan komt komen gaat gaan ging gingen kwam kwamen
    had hadden heeft hebt wil wilt willen kan kunt kon konden moet moeten moest mag mogen zegt zeggen zei
    laat laten wel even echt heel erg zeer vaak soms weer al alweer ook nog eigenlijk gewoon dus toch
    we wij jullie hunner mekaar elkaar welke welk hoe waar wanneer waarom wie wat deze dit die dat daar
    hier er ik mij me mijn jij je jou jouw u uw hij hem zijn zij ze haar wij ons onze via vanaf
    """.split()
)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Financiën' -> 'financien'."""
    if text.isascii():  # nothing to strip
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Inside a phrase, stop words count ("geen eten", "te laat", "van loket naar loket"); articles do not.
ARTICLES = frozenset({"de", "het", "een"})


# Spoken and chat forms written out: "nog steeds niks" is "nog steeds niets".
INFORMAL = {"niks": "niets", "nix": "niets", "kids": "kinderen", "ff": "even"}
# "sinds 2019" says what "sinds jaren" says; 'sinds' always looks back.
_SINCE_YEAR = re.compile(r"\bsinds\s+(?:19|20)\d\d\b")


# Figures of speech whose words say nothing about a case: "zorg dat ..." means "make sure", not care
# ("zorg"); "dat had ik niet zien aankomen" means "that surprised me", not being seen.
_IDIOMS = (
    (re.compile(r"\bzorg(?:en|t|de|den)?\s+(?:er\s*voor\s+)?dat\b"), "dat"),
    (re.compile(r"\b(?:zien|zie|ziet|zag|zagen|gezien)\s+aankomen\b"), ""),
)


def _all_words(text: str) -> list[str]:
    folded = _SINCE_YEAR.sub("sinds jaren", fold(text))
    for idiom, meaning in _IDIOMS:
        folded = idiom.sub(meaning, folded)
    found: list[str] = []
    for match in _WORD.finditer(folded):
        word = match.group()
        if len(word) <= MAX_WORD_LENGTH:
            found.append(INFORMAL.get(word, word))
            if len(found) >= MAX_WORDS:
                break
    return found


def words(text: str) -> list[str]:
    """The words of a text after folding, stop words removed, in order."""
    return [w for w in _all_words(text) if w not in STOPWORDS and len(w) > 1]


def phrase_words(text: str) -> list[str]:
    """The words of a text after folding, stop words kept, articles removed, in order."""
    return [w for w in _all_words(text) if w not in ARTICLES and len(w) > 1]


def phrase_word_key(word: str) -> str:
    """The key of a word inside a phrase: a stop word stays itself, other words get their search key."""
    return word if word in STOPWORDS else key(word)


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """One search key for a folded word: its lemma, stemmed, unless the stem is another word.

    Stemming joins forms the lemmatiser leaves apart (betaling, betalen -> betal), but for some
    everyday words it lands on a different word of this domain (weten -> wet, geweldig -> geweld):
    those lemmas in KEEP_APART are their own key, and so is a lemma whose stem is a stop word (heet -> het).
    """
    lemma = LEMMA_FIXES.get(word) or fold(simplemma.lemmatize(word, lang="nl")).replace("_", "")  # af_wijzen
    stem = str(_STEMMER.stemWord(lemma))
    return lemma if lemma in KEEP_APART or stem in STOPWORDS else stem


@lru_cache(maxsize=1)
def _dutch_words() -> dict[str, float]:
    """wordfreq's Dutch word list, loaded on first use."""
    return wordfreq.get_frequency_dict("nl")


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a folded word is in Dutch (wordfreq's Zipf scale); 0 for a word it does not know.

    A word missing from the list is looked up in a dict, not through wordfreq's tokenizer, which is
    slow for the random strings of pathological input."""
    if word not in _dutch_words():
        return 0.0
    return float(wordfreq.zipf_frequency(word, "nl"))


def _is_dutch(word: str) -> bool:
    return zipf(word) >= HEAD_ZIPF


def _phrase_at(needed: Counter[str], positions: dict[str, list[int]], window: int) -> list[int] | None:
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


# Words this common in Dutch at large (wordfreq's Zipf scale: "de" 7.3, "geeft" 5.8, "deurwaarder" 3.3)
# tell little about a case on their own, however rare they are on the card.
EVERYDAY_ZIPF = 5.3


@lru_cache(maxsize=65536)
def everyday(word: str, level: float = EVERYDAY_ZIPF) -> bool:
    """Whether a word is so common in Dutch that, alone or in pairs, it is no evidence ('geeft', 'tweede').

    A phrase is everyday when all its words but the stop words are ('elke dag', 'nooit meer').
    """
    if " " in word:
        return all(everyday(part, level) for part in word.split() if part not in STOPWORDS)
    return zipf(word) >= level


# Words this rare ("deurwaarder" 3.3, "ombudsman" 3.6, against "vertraging" 4.1) are specialist terms: when a
# caseworker's word list holds one, a text that uses it is about that item's subject.
SPECIALIST_ZIPF = 4.0


def specialist(word: str) -> bool:
    """Whether a single word is rare enough in Dutch to be a specialist term (a phrase is not a word)."""
    return " " not in word.strip() and float(wordfreq.zipf_frequency(fold(word), "nl")) < SPECIALIST_ZIPF


@dataclass(frozen=True)
class Token:
    """A search key with the word of the text it came from (for 'why matched')."""

    key: str
    word: str
    part: bool = False  # a part of a compound, not the whole word


class Analyzer:
    """Turns text into keys; knows the vocabulary so it can split compounds into known parts,
    and the phrases of content/ so it can find them in a text as one key."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.vocabulary: set[str] = set(vocabulary)
        self.phrases: dict[str, tuple[str, ...]] = {}
        self._phrase_counts: dict[str, Counter[str]] = {}
        self._phrases_by_anchor: dict[str, list[str]] = {}  # by a key every text with the phrase has
        self._known_words: set[str] = set()
        self._spelling: list[str] | None = None  # sorted known words, built on first use
        # A word's spelling correction, key and compound parts depend only on the word and the
        # vocabulary: cached per word (an LRU), emptied whenever the vocabulary grows.
        self._analyse = lru_cache(maxsize=WORD_CACHE_SIZE)(self._analyse_word)

    def entry_keys(self, entry: str) -> list[str]:
        """The keys of one entry of a word list: a single word's key, or one key for a phrase.

        A phrase ("wakker liggen", "kastje naar de muur") means something its words alone do not,
        so it becomes one key that a text only has when all its words stand close together.
        """
        entry_words = phrase_words(entry)
        self._remember(word for word in entry_words if word not in STOPWORDS)
        if len(entry_words) < 2:
            return [key(word) for word in entry_words if word not in STOPWORDS]
        keys = tuple(phrase_word_key(word) for word in entry_words)
        phrase_key = " ".join(keys)
        if phrase_key not in self.phrases:
            self.phrases[phrase_key] = keys
            self._phrase_counts[phrase_key] = Counter(keys)
            anchor = next((k for k in keys if k not in STOPWORDS), keys[0])  # stop words are everywhere
            self._phrases_by_anchor.setdefault(anchor, []).append(phrase_key)
        return [phrase_key]

    def learn(self, text: str) -> None:
        """Add the keys of a text to the vocabulary used for compound splitting."""
        self._remember(words(text))

    def _remember(self, known: Iterable[str]) -> None:
        for word in known:
            self._known_words.add(word)
            self.vocabulary.add(key(word))
        self._spelling = None
        self._analyse.cache_clear()

    def _analyse_word(self, word: str) -> tuple[str, tuple[str, ...]]:
        """A word's key after spelling correction, and the keys of its compound parts other than that key."""
        spelt = self.correct(word)
        word_key = key(spelt)
        if len(spelt) < 2 * MIN_PART:
            return word_key, ()
        return word_key, tuple(part for part in self.split(spelt) if part != word_key)

    def correct(self, word: str) -> str:
        """A misspelt word replaced by the known word it most likely means ('deurwaader' -> 'deurwaarder').

        Only words unknown both to the deck's vocabulary and to Dutch at large (wordfreq) are corrected,
        and only to a known word at most TYPO_DISTANCE edits away (one more for long words).
        """
        if len(word) < MIN_TYPO_LENGTH or key(word) in self.vocabulary or zipf(word) > 0:
            return word
        if self._spelling is None:
            self._spelling = sorted(self._known_words)
        cutoff = TYPO_DISTANCE + (len(word) >= LONG_WORD)
        found = process.extractOne(word, self._spelling, scorer=Levenshtein.distance, score_cutoff=cutoff)
        return str(found[0]) if found else word

    def list_keys(self, entries: Iterable[str]) -> list[str]:
        """The keys of a word list as a document: words with their compound parts, phrases as one key."""
        out: list[str] = []
        for entry in entries:
            out.extend(self.keys(entry) if len(phrase_words(entry)) < 2 else self.entry_keys(entry))
        return out

    def tokens(self, text: str) -> list[Token]:
        out: list[Token] = []
        positions: dict[str, list[int]] = {}
        text_words = phrase_words(text)
        compounds: list[tuple[str, Counter[str]]] = []
        for position, word in enumerate(text_words):
            if word in STOPWORDS:
                positions.setdefault(word, []).append(position)
                continue
            word_key, parts = self._analyse(word)
            out.append(Token(word_key, word))
            positions.setdefault(word_key, []).append(position)
            if parts:
                out.extend(Token(part, word, part=True) for part in parts)
                compounds.append((word, Counter(parts)))
        found_keys: set[str] = set()
        candidates = [phrase for k in positions for phrase in self._phrases_by_anchor.get(k, ())]
        for phrase_key in sorted(candidates):
            keys = self.phrases[phrase_key]
            found = _phrase_at(self._phrase_counts[phrase_key], positions, len(keys) + PHRASE_SLACK)
            if found is not None:
                found_keys.add(phrase_key)
                out.append(Token(phrase_key, " ".join(text_words[position] for position in found)))
        # A compound's parts make a phrase only together ("vooruitkijken" is "vooruit kijken"); one part
        # with the words around it does not ("schooljaar al" is no "al jaren").
        for word, part_counts in compounds:
            anchored = {p for part in part_counts for p in self._phrases_by_anchor.get(part, ())}
            for phrase_key in sorted(anchored):
                if phrase_key not in found_keys and not self._phrase_counts[phrase_key] - part_counts:
                    found_keys.add(phrase_key)
                    out.append(Token(phrase_key, word))
        return out

    def keys(self, text: str) -> list[str]:
        return [token.key for token in self.tokens(text)]

    def split(self, word: str) -> list[str]:
        """Split a compound into known keys, longest head first: huurachterstand -> huur, achterstand."""
        return list(self._split(word, depth=0))

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        if depth > 2 or len(word) < 2 * MIN_PART:
            return ()
        unknown = depth == 0 and key(word) not in self.vocabulary
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            for link in _LINKS:
                if link and not head.endswith(link):
                    continue
                stem_head = head[: len(head) - len(link)] if link else head
                if len(stem_head) < MIN_PART or tail in SUFFIXES:
                    continue
                head_key = key(stem_head)
                if head_key not in self.vocabulary:
                    # The last part carries a Dutch compound's meaning (bankgegevens are gegevens): in a
                    # word the deck does not know, it counts when the first part is a Dutch word too.
                    if unknown and _is_dutch(stem_head) and (tail_key := key(tail)) in self.vocabulary:
                        return (head_key, tail_key)
                    continue
                tail_key = key(tail)
                if tail_key in self.vocabulary:
                    return (head_key, tail_key)
                rest = self._split(tail, depth + 1)
                if rest:
                    return (head_key, *rest)
        return ()
