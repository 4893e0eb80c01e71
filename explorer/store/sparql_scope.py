"""How the ``sparql:`` store sets a query's default graph: the store's graphs, never the server's own.

Chosen graphs: Virtuoso echoes each ``default-graph-uri`` parameter as an ``X-SPARQL-default-graph``
response header and Python's ``http.client`` refuses more than 100 headers, so past ~90 graphs
that parameter breaks. On Virtuoso (recognised by its ``Server`` header) the graphs are named with
``define input:default-graph-uri`` pragmas in the query text instead, which is what Virtuoso turns
the parameters into; other servers get the standard parameters.

All graphs, before the store has its union graph: on Virtuoso, ``define input:default-graph-exclude``
the server's and the store's own graphs; elsewhere, list every store graph. Measured on Virtuoso
7.2 at 2,002 graphs / 80k quads (``policies.rq``, ``diseases.rq``): 2,002 ``default-graph-uri``
parameters 473 / 800 ms; 2,002 ``FROM`` clauses or pragmas 238 / 173 ms; excluding the 3 system
graphs 33 / 20 ms; no dataset at all 27 / 15 ms. Listing the graphs costs ~50 ms.

IRIs are written by pyoxigraph (validated N-Triples syntax), never formatted from raw text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef

from explorer.errors import StoreError
from explorer.store.terms import to_ox


@dataclass(frozen=True)
class Scope:
    """The dataset of one query: the default graph is exactly ``include``, or every graph but
    ``exclude``; GRAPH patterns see ``named`` (None: the server's choice; with ``exclude``, its
    graphs but those)."""

    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    named: tuple[str, ...] | None = None


def scoped_request(sparql: str, scope: Scope | None, virtuoso: bool) -> tuple[str, list[tuple[str, str]]]:
    """The query text and protocol parameters that give ``sparql`` the default graph ``scope``
    (None: the endpoint's own default)."""
    if scope is None:
        return sparql, []
    if not virtuoso:
        if scope.include is None:
            raise StoreError("only Virtuoso can exclude graphs from a query; list the graphs to include")
        named = [("named-graph-uri", g) for g in scope.named or ()]
        return sparql, [("default-graph-uri", g) for g in scope.include] + named
    if scope.include is not None:
        pragmas = _pragmas("input:default-graph-uri", scope.include)
    else:
        pragmas = _pragmas("input:default-graph-exclude", scope.exclude)
    if scope.named is not None:
        pragmas += _pragmas("input:named-graph-uri", scope.named)
    elif scope.include is None:
        pragmas += _pragmas("input:named-graph-exclude", scope.exclude)
    return "".join(pragmas) + sparql, []


def _pragmas(name: str, graphs: Sequence[str]) -> list[str]:
    return [f"define {name} {to_ox(URIRef(g))}\n" for g in graphs]
