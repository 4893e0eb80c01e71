"""An rdflib store for the graphs one document builds: its triples in one dict, indexed when first asked.

A policy's graphs are built triple by triple (thousands of ``Graph.add`` calls a document), then
read whole (reasoning, the bulk writer, and ``span_index`` and the version's parts in one pass
each, :func:`triples_of`) and by a rare pattern (a prior-authorization cell's services: one
subject and predicate). rdflib's ``SimpleMemory`` files each added triple in three nested indexes
(nine dictionary steps, a Python-level hash of a literal three times); this store keeps the triples
as the keys of one dict (insertion order, no duplicates) and builds an index (by subject,
predicate, object, or subject and predicate) at the first lookup that needs it, keeping it up to
date after that: most documents' builds need none.

Answers are those of ``SimpleMemory``: the same triples for every pattern, each in the order it
was added. ``SimpleMemory`` groups them by its index's keys instead, so the two orders agree for a
pattern binding subject and predicate (``Graph.value(s, p)`` and ``objects(s, p)`` give the same
first) and may differ otherwise (a whole graph, ``(s, None, o)``): the project reads those as
sets. No contexts, no quoted graphs: a plain graph (``tests/model/test_triple_store.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
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
        self._tables: dict[str, dict[Any, list[Triple]]] = {}  # each built at the first lookup that needs it

    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:
        held = len(self._triples)
        self._triples[triple] = None  # one hash of the triple; a triple already held stays where it was
        if self._tables and len(self._triples) > held:
            for key, table in self._tables.items():
                table.setdefault(_KEYS[key](triple), []).append(triple)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        for triple in list(self._matches(triple_pattern)):
            del self._triples[triple]
        self._tables.clear()  # built again at the next lookup

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
        if s is not None and p is not None:
            found, k, term = self._table("sp").get((s, p), ()), 0, None
        elif s is not None:
            found, k, term = self._table("s").get(s, ()), 2, o
        elif p is not None:
            found, k, term = self._table("p").get(p, ()), 2, o
        else:
            found, k, term = self._table("o").get(o, ()), 0, None
        if term is None:
            yield from list(found)
        else:
            yield from [t for t in found if t[k] is term or t[k] == term]

    def _table(self, key: str) -> dict[Any, list[Triple]]:
        """The triples by subject (``s``), predicate (``p``), object (``o``) or both of the first two
        (``sp``), in the order added."""
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = {}
            by = _KEYS[key]
            for triple in self._triples:
                table.setdefault(by(triple), []).append(triple)
        return table


_KEYS: dict[str, Callable[[Triple], Any]] = {
    "s": itemgetter(0), "p": itemgetter(1), "o": itemgetter(2), "sp": itemgetter(0, 1),
}


def triples_of(graph: Graph) -> Iterable[Triple]:
    """Every triple of ``graph``: its store's own collection when it is a :class:`TripleStore`
    (read without a generator step per triple), else the graph iterated."""
    store = graph.store
    return store._triples.keys() if isinstance(store, TripleStore) else graph


def plain_graph() -> Graph:
    """A new, empty rdflib graph on a :class:`TripleStore`."""
    return Graph(store=TripleStore())


__all__ = ["TripleStore", "plain_graph", "triples_of"]
