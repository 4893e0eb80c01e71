"""The Oxigraph backend, in memory or on disk (``oxigraph:PATH``).

Each policy is a named graph; the default graph holds their union, kept up to date by every write
in the same transaction (see :mod:`explorer.store.updates`), so queries over all graphs run on the
default graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import QueryError, StoreError
from explorer.query.internal import internal_query
from explorer.store.base import ClosesOnExit
from explorer.store.results import ask_result, graph_result, query_form, select_result
from explorer.store.terms import from_ox, to_ox, triples_to_graph
from explorer.store.updates import drop_graph_update, rebuild_union_update, replace_graphs_update
from explorer.store.values import inject_bindings


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


class OxigraphStore(ClosesOnExit):
    """A pyoxigraph Store; ``path=None`` keeps everything in memory."""

    def __init__(self, url: str, path: Path | None = None) -> None:
        self.url = url
        self.path = path
        try:
            self._store: ox.Store | None = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(f"store {path} is locked: another process has it open ({exc})") from exc
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self._ensure_union_default()

    def _ensure_union_default(self) -> None:
        """Rebuild the default graph of a store written before it held the union of the graphs."""
        store = self._ox
        if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None and next(
            iter(store.named_graphs()), None
        ) is not None:
            self._write(rebuild_union_update())

    @property
    def _ox(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"store {self.url} is closed")
        return self._store

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Convert every triple first, then drop and insert in one transactional update."""
        self.replace_graphs({graph_iri: graph})

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Every graph, and the default graph's union, in one SPARQL Update: one Oxigraph transaction."""
        if graphs:
            self._write(replace_graphs_update(graphs, union_default=True))

    def remove_graph(self, graph_iri: str) -> None:
        self._write(drop_graph_update(graph_iri, union_default=True))

    def _write(self, update: str) -> None:
        try:
            self._ox.update(update)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot write to store {self.url}: {exc}") from exc

    def graph_iris(self) -> list[str]:
        return sorted(
            g.value
            for g in self._ox.named_graphs()
            if isinstance(g, ox.NamedNode) and next(self._ox.quads_for_pattern(None, None, None, g), None)
        )

    def get_graph(self, graph_iri: str) -> Graph:
        name = ox.NamedNode(graph_iri) if _valid_iri(graph_iri) else None
        if name is None:
            raise StoreError(f"invalid graph IRI {graph_iri!r}")
        return triples_to_graph(self._ox.quads_for_pattern(None, None, None, name))

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> Result:
        # graphs=None: the default graph, which is the union of the named graphs
        scope: dict[str, object] = {} if graphs is None else {"default_graph": [to_ox(URIRef(g)) for g in graphs]}
        try:
            # VALUES rather than pyoxigraph substitutions, which only accept projected variables.
            text = inject_bindings(sparql, bindings)
            answer = self._ox.query(text, **scope)  # type: ignore[arg-type]
            return self._to_result(text, answer)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot query store {self.url}: {exc}") from exc

    @staticmethod
    def _to_result(sparql: str, answer: object) -> Result:
        if isinstance(answer, ox.QueryBoolean):
            return ask_result(bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            # lazy: read only as many solutions as the caller takes (the runner stops at its row limit)
            rows = ({n: (from_ox(s[n]) if s[n] is not None else None) for n in names} for s in answer)
            return select_result(names, rows)
        if isinstance(answer, ox.QueryTriples):
            form = "DESCRIBE" if query_form(sparql) == "DESCRIBE" else "CONSTRUCT"
            return graph_result(triples_to_graph(answer), form)
        raise StoreError(f"unexpected query answer {type(answer).__name__}")

    def rdflib_dataset(self) -> Dataset:
        """The same Oxigraph store seen through rdflib's Dataset API (oxrdflib), for rdflib-based tools.

        Writes through it bypass :meth:`replace_graph`'s all-or-nothing guarantee; use it to read.
        """
        from oxrdflib import OxigraphStore as RdflibOxigraphStore

        return Dataset(store=RdflibOxigraphStore(store=self._ox))

    def stats(self) -> dict[str, int]:
        iris = self.graph_iris()
        answer = self._ox.query(internal_query("store-count-named-quads"))
        assert isinstance(answer, ox.QuerySolutions)
        count = next(iter(answer))[0]
        return {"graphs": len(iris), "triples": int(count.value) if count is not None else 0}

    def close(self) -> None:
        """Drop the pyoxigraph store, releasing the directory lock."""
        if self._store is not None:
            if self.path is not None:
                self._store.flush()
            self._store = None



__all__ = ["OxigraphStore"]
