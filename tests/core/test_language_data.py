"""The compact tables of language_data.py give exactly what simplemma and wordfreq give, on a broad word list:
every word of content/ and of the tuned eval splits, wordfreq's most frequent Dutch and English words, a
sample of both its lists and of simplemma's dictionary, and words made from those (inflections, compounds,
typos) that the lists do not have. Built from scratch in a temporary directory, then mapped from the file."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
import simplemma
import wordfreq
from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

from bot.core.retrieval.language_data import PLAIN, LanguageData
from bot.core.retrieval.rules import RULES

REPO = Path(__file__).resolve().parents[2]
# The frozen test split (tests/eval/test_*.yaml) is left out: it is only measured on.
SOURCES = [*sorted((REPO / "content").glob("*.yaml")), *(REPO / "tests" / "eval" / f"{name}.yaml" for name in (
    "signalen", "argumenten", "onzin"))]  # fmt: skip
ODD = ["straße", "één", "e\u0301e\u0301n", "ĳsbeer", "ﬁets", "naïef", "café", "zo'n", "co-ouderschap", "москва",
       "λόγος", "محمد", "中文", "ǆungla", "1e", "2024", "ŉ", "x", "ab"]  # fmt: skip
SAMPLE_EVERY = 37


def _words() -> list[str]:
    found: set[str] = set(ODD)
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r"[^\W\d_]+", text.lower()))
        found.update(RULES.all_words(text))
    derived: set[str] = set()
    ordered = sorted(found)
    for word, following in pairwise(ordered):
        if len(word) >= 4:
            derived.update({word + "en", word + "s", word[:-1], word[1:], word + following, word[::-1]})
    found |= derived
    for lang in ("nl", "en"):
        found.update(wordfreq.top_n_list(lang, 5000))
        found.update(list(wordfreq.iter_wordlist(lang))[::SAMPLE_EVERY])
    found.update(list(DefaultDictionaryFactory().get_dictionary("nl"))[::SAMPLE_EVERY])
    return sorted(word for word in found if word)


WORDS = _words()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> LanguageData:
    data = LanguageData(tmp_path_factory.mktemp("taaldata"))
    data.open_all()
    return data


@pytest.fixture(scope="module")
def mapped(built: LanguageData) -> LanguageData:
    """A second instance on the same directory: it maps the files the first one wrote."""
    directory = built.path("x").parent
    assert len(list(directory.glob("taaldata-*.trie"))) == 3
    return LanguageData(directory)


def test_the_word_list_is_broad() -> None:
    assert len(WORDS) > 30_000
    assert sum(not PLAIN.fullmatch(word) for word in WORDS) > 500


def test_the_lemma_table_holds_simplemmas_dictionary(built: LanguageData) -> None:
    dictionary = DefaultDictionaryFactory().get_dictionary("nl")
    table = built.lemma_dictionary()
    assert len(table) == len(dictionary)
    assert all(table.get(word) == lemma for word, lemma in dictionary.items())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_frequency_tables_hold_wordfreqs_lists(built: LanguageData, lang: str) -> None:
    listed = wordfreq.get_frequency_dict(lang)
    assert all(built.listed_zipf(word, lang) > 0 for word in listed)
    assert sum(built.listed_zipf(word, lang) > 0 for word in WORDS) == sum(word in listed for word in WORDS)


@pytest.mark.parametrize("name", ["built", "mapped"])
def test_lemmas_are_simplemmas(name: str, request: pytest.FixtureRequest) -> None:
    data: LanguageData = request.getfixturevalue(name)
    differ = [w for w in WORDS if data.lemmatize(w) != simplemma.lemmatize(w, lang="nl")]
    assert differ == []


@pytest.mark.parametrize("name", ["built", "mapped"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_frequencies_are_wordfreqs(name: str, lang: str, request: pytest.FixtureRequest) -> None:
    data: LanguageData = request.getfixturevalue(name)
    listed = wordfreq.get_frequency_dict(lang)
    differ = [w for w in WORDS if data.zipf_frequency(w, lang) != wordfreq.zipf_frequency(w, lang)]
    assert differ == []
    expected = {w: wordfreq.zipf_frequency(w, lang) if w in listed else 0.0 for w in WORDS}
    assert [w for w in WORDS if data.listed_zipf(w, lang) != expected[w]] == []


def test_a_damaged_table_is_built_again(built: LanguageData, tmp_path: Path) -> None:
    data = LanguageData(tmp_path)
    path = data.path(data.lemma_name())
    path.write_bytes(b"not a trie")
    assert data.lemmatize("overleed") == simplemma.lemmatize("overleed", lang="nl") == "overlijden"
    assert path.stat().st_size == built.path(built.lemma_name()).stat().st_size


def test_an_unwritable_cache_directory_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the directory should be")
    data = LanguageData(blocked / "cache")
    assert data.zipf_frequency("huis", "nl") == wordfreq.zipf_frequency("huis", "nl")
    assert data.lemmatize("schulden") == simplemma.lemmatize("schulden", lang="nl")
