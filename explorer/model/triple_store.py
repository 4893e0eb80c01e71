"""An rdflib store for the graphs one document builds: its triples in one dict, indexed when first asked.

A policy's graphs are built triple by triple (thousands of ``Graph.add`` calls a document), then
read whole (reasoning takes every triple, the bulk writer serializes every triple) and by a few
patterns (``span_index``: five predicates; ``version_of``: one subject). rdflib's ``SimpleMemory``
files each added triple in three nested indexes (nine dictionary steps, a Python-level hash of a
literal three times); this store keeps the triples as the keys of one dict (insertion order, no
duplicates) and builds its subject, predicate and object indexes at the first lookup by pattern,
keeping them up to date after that.

Answers are those of ``SimpleMemory``: the same triples for every pattern, in the order they were
added (``SimpleMemory`` groups them by subject and predicate first; ``Graph.value`` gives the first
added in both). No contexts, no quoted graphs: a plain graph (``tests/model/test_triple_store.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_NO_CONTEXTS: tuple[Any, ...] = ()


class TripleStore(SimpleMemory):
    """A context-free store (rdflib's ``SimpleMemory`` for namespaces) of a dict of triples."""

    def __init__(self, configuration: str | None = None, identifier: Any = None) -> None:
        super().__init__(configuration, identifier)
        self._triples: dict[Triple, None] = {}
        self._index: tuple[dict[Node, list[Triple]], ...] | None = None  # by subject, predicate, object

    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:
        held = len(self._triples)
        self._triples[triple] = None  # one hash of the triple; a triple already held stays where it was
        if self._index is not None and len(self._triples) > held:
            for table, term in zip(self._index, triple, strict=True):
                table.setdefault(term, []).append(triple)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        for triple in list(self._matches(triple_pattern)):
            del self._triples[triple]
        self._index = None  # built again at the next lookup

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Triple, Any]]:
        for triple in self._matches(triple_pattern):
            yield triple, _NO_CONTEXTS

    def __len__(self, context: Any = None) -> int:
        return len(self._triples)

    def _matches(self, pattern: Any) -> Iterator[Triple]:
        s, p, o = pattern
        if s is None and p is None and o is None:
            yield from list(self._triples)  # a snapshot: the caller may add while it reads
            return
        if s is not None and p is not None and o is not None:
            if (s, p, o) in self._triples:
                yield (s, p, o)
            return
        by_subject, by_predicate, by_object = self._tables()
        test: tuple[tuple[int, Any], ...]
        if s is not None:
            found, test = by_subject.get(s, ()), ((1, p), (2, o))
        elif p is not None:
            found, test = by_predicate.get(p, ()), ((2, o),)
        else:
            found, test = by_object.get(o, ()), ()
        checks = [(k, term) for k, term in test if term is not None]
        for triple in list(found):
            if all(triple[k] == term for k, term in checks):
                yield triple

    def _tables(self) -> tuple[dict[Node, list[Triple]], ...]:
        if self._index is None:
            tables: tuple[dict[Node, list[Triple]], ...] = ({}, {}, {})
            for triple in self._triples:
                for table, term in zip(tables, triple, strict=True):
                    table.setdefault(term, []).append(triple)
            self._index = tables
        return self._index


def plain_graph() -> Graph:
    """A new, empty rdflib graph on a :class:`TripleStore`."""
    return Graph(store=TripleStore())


__all__ = ["TripleStore", "plain_graph"]
