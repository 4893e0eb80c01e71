"""Stores ingested before the span index existed: build the missing index graphs.

A policy's index graph (``explorer.model.span_index``) is written with its asserted graph by every
ingest. A store written by an earlier release has policies without one, and the catalog queries,
which read offsets and quotes from the index, would miss their rows there. Ingest and the CLI's and
app's opening of a store therefore call :func:`ensure_span_index` first: it finds the policies
whose index graph is absent and derives it from their current graph, all of them in one
transaction. Opening checks first that the store holds any index triple (one lookup: a store is
indexed whole), so a fresh CLI process does not list the graphs of a large store; ingest always
lists them.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph

from explorer.errors import StoreError
from explorer.internal_queries import internal_query
from explorer.model.iris import graph_iri, index_graph_iri, policy_of_graph
from explorer.model.span_index import span_index
from explorer.store import PolicyStore


def policies_without_index(store: PolicyStore) -> list[str]:
    """The policies (IRIs) whose asserted graph is in ``store`` and whose index graph is not."""
    present = set(store.graph_iris())
    out = []
    for name in sorted(present):
        policy = policy_of_graph(name) if name.endswith("/graph") else None
        if policy is not None and str(index_graph_iri(policy)) not in present:
            out.append(str(policy))
    return out


def ensure_span_index(store: PolicyStore, *, opening: bool = False,
                      announce: Callable[[int], None] | None = None) -> int:
    """Write the index graph of every policy that lacks one (derived from its current graph), in one
    transaction; the number of policies indexed. ``opening``: skip the listing when the store holds
    any index triple already (every path that writes a policy writes its index, and this writes
    every missing one at once, so such a store is indexed). ``announce(n)`` is called before ``n``
    policies are indexed (a store of 1,000 older policies takes a minute or two, once).

    :raises StoreError: the store cannot be written (a read-only SPARQL endpoint: re-ingest there).
    """
    if opening and bool(store.query(internal_query("span-index-present")).askAnswer):
        return 0
    missing = policies_without_index(store)
    if missing and announce is not None:
        announce(len(missing))
    writes: dict[str, Graph] = {
        str(index_graph_iri(policy)): span_index(store.get_graph(str(graph_iri(policy)))) for policy in missing}
    if writes:
        store.replace_graphs(writes)
    return len(missing)


def index_on_open(store: PolicyStore, *, refused: Callable[[StoreError], None],
                  announce: Callable[[int], None] | None = None) -> PolicyStore:
    """``store``, just opened, with its span index made whole (:func:`ensure_span_index` with
    ``opening``): a store that refuses the write (a read-only SPARQL endpoint) is read as it is,
    after ``refused(error)`` (rows of older policies then lack their quotes); any other error
    closes the store and propagates."""
    try:
        ensure_span_index(store, opening=True, announce=announce)
    except StoreError as exc:
        refused(exc)
    except BaseException:
        store.close()
        raise
    return store


__all__ = ["ensure_span_index", "index_on_open", "policies_without_index"]
