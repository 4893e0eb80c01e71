"""What every store backend offers: named graphs of RDF that can be replaced atomically and queried."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node

VERSION_GRAPH_PREFIX = "https://w3id.org/policy-explorer/graph/version/"
"""Graphs of earlier versions of policies (``explorer.model.iris.version_graph_iri``; the model
cannot be imported from here). Every backend keeps them out of its union default graph: they are
ordinary named graphs (listed, seen by ``GRAPH`` patterns) that a query over all graphs never sees."""


def outside_union(graph_iri: str) -> bool:
    """Whether ``graph_iri`` is kept out of the store's union default graph (an earlier version)."""
    return graph_iri.startswith(VERSION_GRAPH_PREFIX)


def in_union_filter(variable: str) -> str:
    """The same test in SPARQL, for the SPARQL-built unions: the graph bound to ``variable`` is not
    an earlier version's (the prefix is a constant IRI: nothing in it needs escaping)."""
    return f'!STRSTARTS(STR({variable}), "{VERSION_GRAPH_PREFIX}")'


@runtime_checkable
class PolicyStore(Protocol):
    """A set of named graphs. ``query`` sees the union of the chosen graphs as its default graph."""

    url: str
    revision: int | None
    """How many writes this process made to the store (every write method adds one), so a cache
    of what was read (the coverage index) knows when it is stale; None when other clients can
    write to it too (a SPARQL server), so nothing read from it may be kept."""

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Make ``graph`` the content of ``graph_iri``, all or nothing."""

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Make each graph the content of its IRI, all of them or none, in one transaction (an empty
        graph removes its IRI): a process killed at any point leaves every old graph or every new one.
        A policy's asserted and inferred graphs are written this way, so they never mix versions."""

    def remove_graph(self, graph_iri: str) -> None:
        """Delete ``graph_iri``; no error if it does not exist."""

    def graph_iris(self) -> list[str]:
        """The IRIs of the non-empty named graphs, sorted."""

    def get_graph(self, graph_iri: str) -> Graph:
        """An in-memory copy of ``graph_iri`` (empty if it does not exist)."""

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Result:
        """Run a SPARQL query over the union of ``graphs`` (default: all named graphs but the
        earlier versions' graphs, :func:`outside_union`); ``GRAPH`` patterns see only
        ``named_graphs`` (default: every named graph, earlier versions' included)."""

    def stats(self) -> dict[str, int]:
        """``{"graphs": n, "triples": n}`` over the named graphs."""

    def close(self) -> None:
        """Release the store (file locks, connections)."""

    def __enter__(self) -> PolicyStore: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class CountsWrites:
    """Mixin for stores only this process writes to: ``revision`` grows with every write."""

    revision: int | None = 0

    def _wrote(self) -> None:
        self.revision = (self.revision or 0) + 1


class ClosesOnExit:
    """Mixin for store classes: ``with open_store(url) as store:`` calls ``store.close()`` on exit."""

    def close(self) -> None:
        """Release what the store holds (overridden by each store)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
