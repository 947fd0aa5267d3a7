"""The language data of search and of language detection as compact tables: simplemma's Dutch lemma
dictionary and wordfreq's Dutch and English word lists, each a MARISA trie (marisa-trie) in a file.

Loaded by the libraries themselves, as Python dicts, these take about 115 MiB and most of a second; a trie
mapped from its file takes a few MiB (only the pages read become resident, shared between workers) and
under a millisecond to open. A table is built once per library version from the library's own data (about
two seconds) and written, atomically, to the cache directory of the search index ($MAATWERK_CACHE_DIR);
when that directory cannot be written, the table is built in memory at every start. Plain data, no pickles.

The results are the libraries' own (tests/core/test_language_data.py compares them on a broad word list):
- `lemmatize` is simplemma's Lemmatizer with its default strategy, only its dictionary comes from the trie;
- `zipf_frequency` is wordfreq's `zipf_frequency`: the table holds wordfreq's value for every word of its
  list. A word of lower-case Latin letters (PLAIN) that is not in the list is one token to wordfreq's
  tokenizer too, so its value is 0; another word ('straße', 'ﬁets', other scripts) gets the value of the
  one token wordfreq's tokenizer makes of it; only words it splits (or digits) are left to wordfreq itself,
  which then loads its list.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

import marisa_trie

from bot.core.retrieval import cache

if TYPE_CHECKING:
    from simplemma import Lemmatizer

__all__ = ["DEFAULT", "PLAIN", "LanguageData", "lemmatize", "listed_zipf", "open_all", "zipf_frequency"]

TABLE_FORMAT = 1
LEMMA_LANGUAGE = "nl"
FREQUENCY_LANGUAGES = ("nl", "en")


def _plain_letters() -> str:
    """Lower-case letters of Latin-1 and Latin Extended-A that wordfreq's preprocessing leaves as they are
    (their own case fold, already NFC): 'é', 'ë', 'ï', 'ĳ', not 'ß' (folds to 'ss') or 'ŉ'."""
    letters = (chr(code) for code in range(0xE0, 0x180))
    return "".join(
        ch
        for ch in letters
        if ch.isalpha() and ch.islower() and ch.casefold() == ch and unicodedata.normalize("NFC", ch) == ch
    )


PLAIN = re.compile(f"[a-z{_plain_letters()}]+")

_T = TypeVar("_T")
_CENTI = "<H"  # wordfreq's Zipf values have two decimals: stored times 100


class _TrieDictionary(Mapping[str, str]):
    """simplemma's dictionary (word -> lemma) as a read-only mapping over the trie."""

    __slots__ = ("_trie",)

    def __init__(self, trie: marisa_trie.BytesTrie) -> None:
        self._trie = trie

    def __getitem__(self, key: str) -> str:
        found = self._trie.get(key)
        if not found:
            raise KeyError(key)
        return str(found[0].decode())

    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: str | _T) -> str | _T: ...
    def get(self, key: str, default: str | _T | None = None) -> str | _T | None:
        found = self._trie.get(key)  # no KeyError on a miss, unlike Mapping.get: misses are common
        return str(found[0].decode()) if found else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.iterkeys())

    def __len__(self) -> int:
        return len(self._trie)


class _TrieDictionaryFactory:
    """simplemma's DictionaryFactory protocol, answered from the trie."""

    __slots__ = ("_data",)

    def __init__(self, data: LanguageData) -> None:
        self._data = data

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang != LEMMA_LANGUAGE:
            raise ValueError(f"Unsupported language: {lang}")
        return self._data.lemma_dictionary()


class LanguageData:
    """The tables, opened on first use from `cache_dir` (default: the index cache's directory, read then)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._tables: dict[str, Any] = {}
        self._dictionary: _TrieDictionary | None = None
        self._lemmatizer: Lemmatizer | None = None
        self._frequency_tables: dict[str, marisa_trie.RecordTrie] = {}

    def path(self, name: str) -> Path:
        directory = self._cache_dir or cache.default_cache_dir()
        return directory / f"taaldata-{name}-marisa{metadata.version('marisa-trie')}-v{TABLE_FORMAT}.trie"

    def _table(self, name: str, empty: Callable[[], _T], build: Callable[[], _T]) -> _T:
        """The table `name`: mapped from its file, else built (and written when the cache directory allows)."""
        found = self._tables.get(name)
        if found is None:
            with self._lock:
                found = self._tables.get(name)
                if found is None:
                    found = self._tables[name] = _load_or_build(self.path(name), empty, build)
        return cast(_T, found)

    # --- lemmas (simplemma) ---

    def lemma_name(self) -> str:
        return f"simplemma{metadata.version('simplemma')}-{LEMMA_LANGUAGE}"

    def lemma_dictionary(self) -> _TrieDictionary:
        if self._dictionary is None:
            self._dictionary = _TrieDictionary(self._table(self.lemma_name(), marisa_trie.BytesTrie, _build_lemmas))
        return self._dictionary

    def lemmatize(self, word: str) -> str:
        """simplemma.lemmatize(word, lang="nl"), on the trie."""
        if self._lemmatizer is None:
            # Imported here: a process that never lemmatizes (or not before it serves) does not wait for it.
            from simplemma import Lemmatizer
            from simplemma.strategies import DefaultStrategy

            strategy = DefaultStrategy(dictionary_factory=_TrieDictionaryFactory(self))
            self._lemmatizer = Lemmatizer(lemmatization_strategy=strategy)
        return str(self._lemmatizer.lemmatize(word, LEMMA_LANGUAGE))

    # --- frequencies (wordfreq) ---

    def frequency_name(self, lang: str) -> str:
        return f"wordfreq{metadata.version('wordfreq')}-{lang}"

    def _frequencies(self, lang: str) -> marisa_trie.RecordTrie:
        found = self._frequency_tables.get(lang)
        if found is None:
            found = self._frequency_tables[lang] = self._table(
                self.frequency_name(lang), lambda: marisa_trie.RecordTrie(_CENTI), lambda: _build_frequencies(lang)
            )
        return found

    def listed_zipf(self, word: str, lang: str) -> float:
        """wordfreq's Zipf value of a word of its `lang` list; 0 for any other word."""
        found = self._frequencies(lang).get(word)
        return float(found[0][0] / 100) if found else 0.0

    def zipf_frequency(self, word: str, lang: str) -> float:
        """wordfreq.zipf_frequency(word, lang)."""
        table = self._frequencies(lang)
        found = table.get(word)
        if found:
            return float(found[0][0] / 100)
        if PLAIN.fullmatch(word):
            return 0.0
        # wordfreq's value depends only on the tokens it makes of the word: one token that is its own only
        # token ('straße' -> 'strasse') has that token's value; anything else is left to wordfreq.
        import wordfreq
        from wordfreq.tokens import lossy_tokenize

        tokens = lossy_tokenize(word, lang)
        if len(tokens) == 1 and lossy_tokenize(tokens[0], lang) == tokens:
            found = table.get(tokens[0])
            if found:
                return float(found[0][0] / 100)
            if PLAIN.fullmatch(tokens[0]):
                return 0.0
        return float(wordfreq.zipf_frequency(word, lang))

    def open_all(self) -> None:
        """Open (or build) every table now, e.g. in a thread beside a server's start-up."""
        self.lemma_dictionary()
        for lang in FREQUENCY_LANGUAGES:
            self._frequencies(lang)


def _load_or_build(path: Path, empty: Callable[[], _T], build: Callable[[], _T]) -> _T:
    if path.is_file():
        try:
            trie = empty()
            trie.mmap(str(path))  # type: ignore[attr-defined]
            return trie
        except Exception:  # a damaged table is rebuilt (marisa raises several kinds)
            pass
    trie = build()
    _write(path, trie)
    return trie


def _write(path: Path, trie: Any) -> None:
    """Write atomically: a process that maps the file never sees half of it. An unwritable directory is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.close(handle)
        try:
            trie.save(temporary)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        return


def _build_lemmas() -> marisa_trie.BytesTrie:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    # A factory of our own, not simplemma's shared one, so the dict is garbage once the trie is built.
    dictionary = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(LEMMA_LANGUAGE)
    return marisa_trie.BytesTrie((word, lemma.encode()) for word, lemma in dictionary.items())


def _build_frequencies(lang: str) -> marisa_trie.RecordTrie:
    import wordfreq  # only to build the table

    centi: dict[str, int] = {}
    per_band: dict[int, float] = {}
    for band, words in enumerate(wordfreq.get_frequency_list(lang)):
        for word in words:
            if PLAIN.fullmatch(word):
                # One token to wordfreq: every plain word of a band has the band's value.
                value = per_band.get(band)
                if value is None:
                    value = per_band[band] = wordfreq.zipf_frequency(word, lang)
            else:
                value = wordfreq.zipf_frequency(word, lang)
            centi[word] = round(value * 100)
            if centi[word] / 100 != value:
                raise ValueError(f"wordfreq gave {value!r}, more than two decimals")
    wordfreq.get_frequency_dict.cache_clear()  # the dicts the build loaded are not needed again
    wordfreq.get_frequency_list.cache_clear()
    return marisa_trie.RecordTrie(_CENTI, ((word, (value,)) for word, value in centi.items()))


DEFAULT = LanguageData()
lemmatize = DEFAULT.lemmatize
listed_zipf = DEFAULT.listed_zipf
zipf_frequency = DEFAULT.zipf_frequency
open_all = DEFAULT.open_all
