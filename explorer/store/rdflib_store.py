"""The rdflib backend (``memory:``): an in-memory ``Dataset`` whose default graph is the union.

Small and dependency-free beyond rdflib: for tests, notebooks and one-off runs. Parameters reach
queries as rdflib ``initBindings``. It is much slower than Oxigraph on large corpora (see
``docs/benchmarks.md``); nothing is persisted.

Graphs of earlier policy versions (``base.outside_union``) are kept beside the Dataset, so its union
default graph never holds them; a query with ``GRAPH`` patterns, or naming them, runs on a copy that
has them as named graphs.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import cast

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ReadOnlyGraphAggregate
from rdflib.query import Result
from rdflib.term import Identifier, Node

from explorer.errors import QueryError, StoreError
from explorer.store.base import ClosesOnExit, CountsWrites, outside_union
from explorer.store.sparql_store import graphs_named_in
from explorer.store.terms import graph_to_quads


class RdflibStore(CountsWrites, ClosesOnExit):
    """Named graphs in an rdflib ``Dataset`` (Memory store); writes are serialized by a lock."""

    def __init__(self, url: str = "memory:") -> None:
        self.url = url
        self._dataset: Dataset | None = Dataset(default_union=True)
        self._kept: dict[URIRef, Graph] = {}    # graphs outside the union (earlier versions)
        self._lock = threading.Lock()

    @property
    def _ds(self) -> Dataset:
        if self._dataset is None:
            raise StoreError(f"store {self.url} is closed")
        return self._dataset

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        self.replace_graphs({graph_iri: graph})

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Every term of every graph is checked (as the Oxigraph store does) before any old graph is
        touched; then all are swapped under the write lock."""
        for graph_iri, graph in graphs.items():
            graph_to_quads(graph, graph_iri)  # raises StoreError on a bad IRI or term, nothing written
        contents = [(URIRef(graph_iri), list(graph)) for graph_iri, graph in graphs.items()]
        with self._lock:
            self._wrote()
            for name, triples in contents:
                if outside_union(name):
                    kept = Graph()
                    for triple in triples:
                        kept.add(triple)
                    self._kept[name] = kept
                    continue
                self._ds.remove_graph(name)
                target = self._ds.graph(name)
                target.addN((s, p, o, target) for s, p, o in triples)
            self._wrote()

    def remove_graph(self, graph_iri: str) -> None:
        with self._lock:
            self._wrote()
            self._ds.remove_graph(URIRef(graph_iri))
            self._kept.pop(URIRef(graph_iri), None)
            self._wrote()

    def graph_iris(self) -> list[str]:
        return sorted(self._union_iris() + [str(g) for g, kept in self._kept.items() if len(kept)])

    def _union_iris(self) -> list[str]:
        return [
            str(g.identifier) for g in self._ds.graphs()
            if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g) > 0
        ]

    def _graph(self, graph_iri: str) -> Graph:
        """The live graph named ``graph_iri`` (kept beside the Dataset or in it)."""
        name = URIRef(graph_iri)
        return self._kept[name] if name in self._kept else self._ds.graph(name)

    def get_graph(self, graph_iri: str) -> Graph:
        copy = Graph()
        for triple in self._graph(graph_iri):
            copy.add(triple)
        return copy

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Result:
        target: Graph = self._ds
        if named_graphs is None and any(self._kept.values()) and graphs_named_in(sparql):
            named_graphs = self.graph_iris()  # GRAPH patterns see the earlier versions too
        if named_graphs is not None:
            target = self._dataset_of(graphs, named_graphs)
        elif graphs is not None:
            chosen = [self._graph(g) for g in graphs]
            target = ReadOnlyGraphAggregate(chosen) if chosen else Graph()
        try:
            with warnings.catch_warnings():  # rdflib's own query path uses its deprecated default_context
                warnings.filterwarnings("ignore", "Dataset.default_context", DeprecationWarning)
                result = target.query(sparql, initBindings=dict(cast("Mapping[str, Identifier]", bindings or {})))
                if result.type == "SELECT":
                    _ = result.bindings  # evaluate now, inside the filter (rdflib evaluates lazily)
                return result
        except Exception as exc:  # rdflib's parser raises pyparsing exceptions
            if type(exc).__name__ in ("ParseException", "ParseSyntaxException"):
                raise QueryError(f"invalid SPARQL: {exc}") from exc
            raise

    def _dataset_of(self, graphs: Sequence[str] | None, named_graphs: Sequence[str]) -> Dataset:
        """A copy holding the union of ``graphs`` (None: all) as its default graph and only
        ``named_graphs`` as named graphs (rdflib cannot restrict GRAPH patterns of a live Dataset)."""
        chosen = Dataset()
        for g in named_graphs:
            named = chosen.graph(URIRef(g))
            for triple in self._graph(g):
                named.add(triple)
        default = chosen.default_graph
        for g in self._union_iris() if graphs is None else graphs:
            for triple in self._graph(g):
                default.add(triple)
        return chosen

    def rdflib_dataset(self) -> Dataset:
        """The underlying Dataset (read from it; write through :meth:`replace_graph`); the earlier
        versions' graphs are not in it (:meth:`get_graph` reads them)."""
        return self._ds

    def stats(self) -> dict[str, int]:
        iris = self.graph_iris()
        return {"graphs": len(iris), "triples": sum(len(self._graph(g)) for g in iris)}

    def close(self) -> None:
        self._dataset = None
        self._kept = {}



__all__ = ["RdflibStore"]
