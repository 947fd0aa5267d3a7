"""Finder for person names: deduce's name rules on a lean set of its lookup lists, loaded on first use.

deduce (Dutch de-identification, LGPL) finds names with lookups (first names, surnames, initials,
prefixes such as 'mevrouw' and 'dhr.', interfixes such as 'van der') and context rules ('mevrouw' +
a capitalised word that is not an ordinary word, an initial + surname, a first name followed by a
surname, …). Shipped as is, it also builds its street and place tries: a 79 MB cache, seconds of
start-up and about a gigabyte of memory. Here only the name and whitelist lists are loaded and only
the name annotators run; single-word names skip deduce's tokenizer when the tries are built. The
result is about 25 MiB and well under a second, paid once, on first use or by `warm_up()` in a
background thread when a server starts.

Words on the cards and in everyday casework ('Bijstand', 'Wmo', 'UWV', 'Mevrouw' on its own) are not
names: an annotation whose capitalised words are all such words is dropped (`KEEP_WORDS`).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

Span = tuple[int, int]

# deduce's name annotators (base_config.json, group "names"); patient_name needs patient metadata, and
# eponymous_disease (which keeps 'Parkinson' in 'ziekte van Parkinson') costs 2 s of its 3 s build.
_ANNOTATORS_SKIPPED = {"patient_name", "eponymous_disease"}
_NAME_LISTS = [
    "names/lst_first_name",
    "names/lst_initial",
    "names/lst_interfix",
    "names/lst_interfix_surname",
    "names/lst_prefix",
    "names/lst_surname",
    "whitelist/lst_common_word",
    "whitelist/lst_medical_term",
    "whitelist/lst_stop_word",
]
_SINGLE_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"\w+")
WINDOW_TOKENS = 5
# Words with a digit, and acronyms (BSN, UWV, IBAN), are no names; a single capital (an initial) may be.
_NOT_A_NAME = re.compile(r"\d|^[A-Z]{2,}$")
_PERSON_TAGS = ("persoon", "patient")
# Words that, like deduce's 'mevrouw' and 'dhr.', announce a surname in casework.
EXTRA_PREFIXES = ("familie", "Familie", "fam", "Fam")

# Capitalised words a caseworker writes that deduce's lists know as names, or that follow a title.
KEEP_WORDS = frozenset(
    """
    bijstand wmo uwv svb cak cjib duo ggd ggz jeugdwet participatiewet schuldhulp schuldhulpverlening
    toeslagen belastingdienst gemeente wijkteam sociaal team zorg jeugd mevrouw meneer heer dhr mw mevr
    inwoner inwoners cliënt client klant klantmanager casemanager consulent uitvoerder uitvoerders
    beleid beleidsmaker beleidsmakers bestuurder bestuurders maatwerk maatwerkplaats casus signaal
    argument kaart lessen vergeet huur huurachterstand schulden schuld werk uitkering
    voedselbank sociale verzekeringsbank corporatie woningcorporatie leerplicht rechter bewindvoerder
    bewind mantelzorg mantelzorger
    """.split()
)


class _Detector:
    """deduce restricted to names; built once, safe to call from several threads (no per-call state).

    deduce only runs on windows of WINDOW_TOKENS words around a word that could be (part of) a name: a
    capitalised word that is neither on deduce's whitelist (ordinary Dutch words, stop words, medical
    terms) nor in KEEP_WORDS, nor an acronym or a word with a digit; or a title such as 'mevrouw' or
    'dhr.' (deduce's prefixes), after which even an ordinary word can be a surname. Text without such a
    word costs a regular-expression scan, no more."""

    def __init__(self) -> None:
        self._deduce = _build()
        structs = self._deduce.lookup_structs
        self._ordinary = frozenset(item.lower() for item in structs["whitelist"].items()) | KEEP_WORDS
        self._titles = frozenset(item.lower().rstrip(".") for item in structs["prefix"].items())

    def _windows(self, text: str) -> list[Span]:
        words = list(_WORD.finditer(text))
        windows: list[Span] = []
        for index, word in enumerate(words):
            token = word.group(0)
            title = token.lower() in self._titles  # 'mevrouw van der Meer': the surname is an ordinary word
            if not title and (not token[0].isupper() or token.lower() in self._ordinary or _NOT_A_NAME.search(token)):
                continue
            start = words[max(0, index - WINDOW_TOKENS)].start()
            end = words[min(len(words) - 1, index + WINDOW_TOKENS)].end()
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows

    def spans(self, text: str) -> list[Span]:
        found = []
        for offset, end in self._windows(text):
            document = self._deduce.deidentify(text[offset:end], disabled={"redactor"})
            for annotation in document.annotations:
                if not annotation.tag.startswith(_PERSON_TAGS):
                    continue
                capitalised = [w.lower() for w in _WORD.findall(annotation.text) if w[0].isupper()]
                if capitalised and all(word in KEEP_WORDS for word in capitalised):
                    continue
                found.append((offset + int(annotation.start_char), offset + int(annotation.end_char)))
        return found


def _import_deduce() -> Any:
    """Import deduce without its side effect: at import it calls logging.basicConfig(DEBUG) on stdout."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import deduce.deduce as deduce_module
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return deduce_module


def _build() -> Any:
    deduce_module = _import_deduce()
    import docdeid

    dd: Any = docdeid
    from deduce import lookup_struct_loader as loader
    from deduce.lookup_structs import load_raw_itemsets
    from deduce.str import FilterBasedOnLookupSet
    from frozendict import frozendict

    lookup_path = deduce_module._LOOKUP_LIST_PATH

    base: Any = deduce_module.Deduce

    class LeanDeduce(base):  # type: ignore[misc]
        def __init__(self) -> None:
            dd.DocDeid.__init__(self)
            config = dict(deduce_module.Deduce._initialize_config(load_base_config=True))
            config["annotators"] = {
                name: info
                for name, info in config["annotators"].items()
                if info.get("group") == "names" and name not in _ANNOTATORS_SKIPPED
            }
            self.config = frozendict(config)
            tokenizer = deduce_module.Deduce._initialize_tokenizer(lookup_path)
            self.tokenizers = {"default": tokenizer}
            raw = load_raw_itemsets(base_path=lookup_path, subdirs=_NAME_LISTS)
            whitelist = loader.load_whitelist_lookup(raw)
            structs = dd.ds.DsCollection()
            for name in ("initial", "interfix_surname"):
                plain = dd.ds.LookupSet()
                plain.add_items_from_iterable(raw[name])
                structs[name] = plain
            structs["prefix"] = loader.load_prefix_lookup(raw)
            structs["prefix"].add_items_from_iterable(EXTRA_PREFIXES)
            structs["interfix"] = loader.load_interfix_lookup(raw)
            structs["whitelist"] = whitelist
            for name in ("first_name", "surname"):
                names = dd.ds.LookupSet()
                names.add_items_from_iterable(raw[name], cleaning_pipeline=[dd.str.FilterByLength(min_len=2)])
                names.add_items_from_self(
                    cleaning_pipeline=[FilterBasedOnLookupSet(filter_set=whitelist, case_sensitive=False)],
                    replace=True,
                )
                structs[name] = _trie(dd, names, tokenizer)
            self.lookup_structs = structs
            extras = {"tokenizer": tokenizer, "ds": structs}
            self.processors = deduce_module._DeduceProcessorLoader().load(config=self.config, extras=extras)

    return LeanDeduce()


def _trie(dd: Any, lookup_set: Any, tokenizer: Any) -> Any:
    """deduce.utils.lookup_set_to_trie, with single-word items added without running the tokenizer."""
    trie = dd.ds.LookupTrie(matching_pipeline=lookup_set.matching_pipeline)
    for item in lookup_set.items():
        if _SINGLE_TOKEN.fullmatch(item):
            trie.add_item([item])
        else:
            trie.add_item([token.text for token in tokenizer.tokenize(item)])
    _share_leaves(trie)
    return trie


def _share_leaves(trie: Any) -> None:
    """Make every end of a name that no longer name continues one shared node. A LookupTrie has a node (an
    object with two dicts) per word; almost all are such ends, one per first name and surname, and they were
    most of the lists' memory. They are alike in every attribute, and nothing adds to the trie after this."""
    leaf = None
    stack = [trie]
    while stack:
        node = stack.pop()
        for word, child in node.children.items():
            if child.children:
                stack.append(child)
            elif leaf is None:
                leaf = child
            elif vars(child) == vars(leaf):
                node.children[word] = leaf  # a value replaced, no key added: safe while iterating


_lock = threading.Lock()
_detector: _Detector | None = None


def detector() -> _Detector:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = _Detector()
    return _detector


def names(text: str) -> list[Span]:
    return detector().spans(text)


def warm_up() -> None:
    """Load the name lookups now (a server calls this in a background thread at start)."""
    detector()
