"""The SPARQL Update text the stores send to replace or drop a graph.

Terms are converted (and so validated) by pyoxigraph first and written in N-Triples syntax: the text
is data serialization, never formatting of user values. One request is one transaction.

The Oxigraph store also keeps the union of its named graphs in the default graph
(``union_default=True``): Oxigraph evaluates joins over its real default graph ~10x faster than over
``use_default_graph_as_union``, and much faster than over an explicit list of graphs. Each replace or
drop therefore also removes, from the default graph, the triples no other named graph still holds.
Graphs of earlier policy versions (``base.outside_union``) are never part of that union: they are
written and dropped without touching the default graph, and never count as holding a triple.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import Graph, URIRef

from explorer.store.base import in_union_filter, outside_union
from explorer.store.terms import graph_to_quads, ntriples_lines, to_ox


def replace_graph_update(graph_iri: str, graph: Graph, *, insert_where: bool = False,
                         union_default: bool = False) -> str:
    """``DROP SILENT GRAPH`` + insert of ``graph``; ``insert_where`` uses ``INSERT {...} WHERE {}``
    (Virtuoso refuses blank nodes in ``INSERT DATA``); ``union_default`` keeps the default graph the
    union of the named graphs."""
    quads = graph_to_quads(graph, graph_iri)
    name = to_ox(URIRef(graph_iri))
    body = "\n".join(ntriples_lines(quads))
    insert = (f"INSERT {{ GRAPH {name} {{\n{body}\n}} }} WHERE {{ }}" if insert_where
              else f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
    if not union_default or outside_union(graph_iri):
        return f"DROP SILENT GRAPH {name} ;\n{insert}"
    return f"{drop_graph_update(graph_iri, union_default=True)} ;\n{insert} ;\nADD SILENT GRAPH {name} TO DEFAULT"


def replace_graphs_update(graphs: Mapping[str, Graph], *, union_default: bool = False) -> str:
    """One update (so one transaction) replacing every graph of ``graphs`` in turn. Run in sequence,
    each step's orphan removal sees the graphs already replaced, so the default graph ends as the
    union of the new named graphs whatever the graphs share. Every term is converted before any text
    is returned, so a bad term fails before anything is written."""
    return " ;\n".join(replace_graph_update(iri, graph, union_default=union_default) for iri, graph in graphs.items())


def drop_graph_update(graph_iri: str, *, union_default: bool = False) -> str:
    """``DROP SILENT GRAPH``; with ``union_default``, first remove from the default graph the
    triples of ``graph_iri`` that no other named graph holds."""
    name = to_ox(URIRef(graph_iri))
    drop = f"DROP SILENT GRAPH {name}"
    if not union_default or outside_union(graph_iri):
        return drop
    orphans = (
        "DELETE { ?s ?p ?o } WHERE {\n"
        f"  GRAPH {name} {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {name} && {in_union_filter('?g')}) }}\n"
        "}"
    )
    return f"{orphans} ;\n{drop}"


def rebuild_union_update() -> str:
    """Fill the default graph with the union of the named graphs but the earlier versions' (stores
    written before the default graph was kept)."""
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({in_union_filter('?g')}) }}"


# The Oxigraph bulk path's journal: ``<graph> <state> "pending"|"written"`` while a batch is written.
BULK_JOURNAL = "urn:x-policy-explorer:bulk-journal"
BULK_STATE = "urn:x-policy-explorer:bulk-state"


def bulk_journal_update(graph_iris: Sequence[str], state: str | None) -> str:
    """Set the journal to ``state`` for ``graph_iris`` (None: clear it), in one update."""
    journal = to_ox(URIRef(BULK_JOURNAL))
    clear = f"DROP SILENT GRAPH {journal}"
    if state is None:
        return clear
    predicate = to_ox(URIRef(BULK_STATE))
    label = '"pending"' if state == "pending" else '"written"'
    body = "\n".join(f"{to_ox(URIRef(g))} {predicate} {label} ." for g in graph_iris)
    return f"{clear} ;\nINSERT DATA {{ GRAPH {journal} {{\n{body}\n}} }}"


def bulk_recovery_update(pending: Sequence[str], written: Sequence[str]) -> str:
    """Drop the graphs a bulk write left half-loaded (``pending``: none of their triples reached the
    default graph yet), add the ``written`` ones to the default graph's union, clear the journal."""
    steps = [f"DROP SILENT GRAPH {to_ox(URIRef(g))}" for g in pending]
    steps += [f"ADD SILENT GRAPH {to_ox(URIRef(g))} TO DEFAULT" for g in written if not outside_union(g)]
    steps.append(bulk_journal_update((), None))
    return " ;\n".join(steps)
