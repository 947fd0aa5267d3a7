"""The name tries share their end nodes (names.py `_share_leaves`) and still find exactly what the same tries
without sharing find: every name and prefix, the longest match at every position, on the real name lists."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import docdeid
import pytest

from bot.core.privacy import names


def _nodes(trie: Any) -> list[Any]:
    found, stack = [], [trie]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children.values())
    return found


def _sequences(trie: Any, limit: int) -> list[list[str]]:
    """Word sequences from the trie (names and their prefixes), with a word no list has after each."""
    found: list[list[str]] = []
    stack: list[tuple[Any, list[str]]] = [(trie, [])]
    while stack and len(found) < limit:
        node, words = stack.pop()
        if words:
            found += [words, [*words, "Zzqx"], ["Zzqx", *words]]
        stack.extend((child, [*words, word]) for word, child in node.children.items())
    return found


def test_shared_ends_find_what_deduces_trie_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = names.detector()._deduce.lookup_structs
    monkeypatch.setattr(names, "_share_leaves", lambda trie: None)
    unshared = names._Detector()._deduce.lookup_structs  # deduce's shape: a node of its own under every word
    for name in ("first_name", "surname"):
        trie, plain = shared[name], unshared[name]
        nodes = _nodes(trie)
        assert len({id(node) for node in nodes}) < len(nodes) / 10  # the ends are shared
        assert len({id(node) for node in _nodes(plain)}) == len(_nodes(plain)) == len(nodes)
        for words in _sequences(plain, 60_000):
            assert (words in trie) == (words in plain)
            for start in range(len(words)):
                assert trie.longest_matching_prefix(words, start) == plain.longest_matching_prefix(words, start)


def test_sharing_keeps_a_small_trie_as_it_was() -> None:
    items = [["Jan"], ["Jan", "de"], ["Piet"], ["Klaas", "Jan"], ["Kees"]]
    trie = docdeid.ds.LookupTrie()
    for item in items:
        trie.add_item(item)
    before = copy.deepcopy(trie)
    names._share_leaves(trie)
    assert trie.children["Piet"] is trie.children["Kees"] is trie.children["Klaas"].children["Jan"]
    words = ["Jan", "de", "Piet", "Klaas", "Jan", "Kees", "Zzqx"]
    for length in range(1, 4):
        for sequence in itertools.permutations(words, length):
            assert (list(sequence) in trie) == (list(sequence) in before)
            assert trie.longest_matching_prefix(list(sequence)) == before.longest_matching_prefix(list(sequence))
