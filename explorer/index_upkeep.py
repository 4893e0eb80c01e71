"""Stores ingested before the span index existed: build the missing index graphs.

A policy's index graph (``explorer.model.span_index``) is written with its asserted graph by every
ingest. A store written by an earlier release has policies without one, and the catalog queries,
which read offsets and quotes from the index, would miss their rows there. Ingest and the CLI's and
app's opening of a store therefore call :func:`ensure_span_index` first: it finds the policies
whose index graph is absent and derives it from their current graph, many policies per
transaction. On a store that has them all it costs one listing of the graph names.
"""

from __future__ import annotations

from rdflib import Graph

from explorer.model.iris import graph_iri, index_graph_iri, policy_of_graph
from explorer.model.span_index import span_index
from explorer.store import PolicyStore

POLICIES_PER_WRITE = 50


def policies_without_index(store: PolicyStore) -> list[str]:
    """The policies (IRIs) whose asserted graph is in ``store`` and whose index graph is not."""
    present = set(store.graph_iris())
    out = []
    for name in sorted(present):
        policy = policy_of_graph(name) if name.endswith("/graph") else None
        if policy is not None and str(index_graph_iri(policy)) not in present:
            out.append(str(policy))
    return out


def ensure_span_index(store: PolicyStore) -> int:
    """Write the index graph of every policy that lacks one (derived from its current graph); the
    number of policies indexed. Each write is one transaction of up to ``POLICIES_PER_WRITE``.

    :raises StoreError: the store cannot be written (a read-only SPARQL endpoint: re-ingest there).
    """
    missing = policies_without_index(store)
    for first in range(0, len(missing), POLICIES_PER_WRITE):
        writes: dict[str, Graph] = {}
        for policy in missing[first:first + POLICIES_PER_WRITE]:
            writes[str(index_graph_iri(policy))] = span_index(store.get_graph(str(graph_iri(policy))))
        store.replace_graphs(writes)
    return len(missing)


__all__ = ["ensure_span_index", "policies_without_index"]
