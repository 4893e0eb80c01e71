"""The SPARQL Update text that writes one graph through a temporary graph, in chunks.

Terms are converted (and so validated) by pyoxigraph first and written in N-Triples syntax: the text
is data serialization, never formatting of user values.

Limits of Virtuoso 7.2 that set the chunking (measured):

- ``INSERT DATA`` refuses blank nodes ("not allowed in a constant clause") and its parser runs out
  of stack near 5,000 triples ("SP030 ... memory exhausted");
- ``INSERT { ... } WHERE { }`` takes blank nodes but stops at ~2,000 triples ("SP031 ... generated
  SQL text has exceeded 10000 lines");
- a blank node names one node only within one request.

So triples without blank nodes go in ``INSERT DATA`` chunks, and the triples linked by blank nodes
(each connected set whole) go in ``INSERT { } WHERE { }`` chunks.

The store also keeps a union graph: every triple of its graphs once (set semantics, as the Oxigraph
store keeps its default graph). Virtuoso matches a triple held by k graphs k times in a default
graph made of several graphs, and policy graphs all repeat the shared nodes (codes, products), so
joins multiply: at 100 policies ``codes.rq`` took 34 s over the graphs and 0.4 s over the union.
Each replace removes from the union the old triples no other graph holds, adds the new ones, and
moves the temporary graph in, in one request. Graphs of earlier policy versions
(``base.outside_union``) are not in the union and never count as holding a triple.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from explorer.store.base import in_union_filter, outside_union
from explorer.store.terms import graph_to_quads, ntriples_lines, to_ox

TEMP_GRAPH_PREFIX = "urn:x-policy-explorer:tmp:"
UNION_GRAPH = "urn:x-policy-explorer:union"
UNION_STATE_GRAPH = "urn:x-policy-explorer:union-state"
UNION_COMPLETE = "urn:x-policy-explorer:union-complete"
# The store's own bookkeeping graphs share this prefix; the union holds only the store's graphs.
OWN_GRAPH_PREFIX = "urn:x-policy-explorer:"
# Graphs a server keeps for itself (Virtuoso's schemas): never store graphs.
SYSTEM_GRAPH_PREFIXES = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/")
DATA_CHUNK = 1000  # triples per INSERT DATA (Virtuoso's parser gives up near 5,000)
PATTERN_CHUNK = 500  # triples per INSERT {} WHERE {} (Virtuoso's SQL limit near 2,000)


@dataclass(frozen=True)
class WritePlan:
    """What ``replace_graph`` sends: inserts into ``temp_iri``, then one request to swap it in."""

    graph_iri: str
    temp_iri: str
    inserts: tuple[str, ...]
    swap: str
    cleanup: str
    triples: int


def temp_graph_iri() -> str:
    """A fresh graph IRI nobody else writes (the store hides these from ``graph_iris``)."""
    return TEMP_GRAPH_PREFIX + uuid.uuid4().hex


def plan_replace(graph_iri: str, graph: Graph, temp_iri: str | None = None) -> WritePlan:
    """Chunked inserts of ``graph`` into a temporary graph, and the ``MOVE`` that replaces
    ``graph_iri`` with it. Converting every term first means a bad term fails before any request."""
    temp_iri = temp_iri or temp_graph_iri()
    quads = graph_to_quads(graph, temp_iri)
    temp = str(to_ox(URIRef(temp_iri)))
    target = str(to_ox(URIRef(graph_iri)))
    union = str(to_ox(URIRef(UNION_GRAPH)))
    plain = [q for q in quads if not _has_blank(q)]
    linked = [q for q in quads if _has_blank(q)]
    inserts = [_insert_data(temp, chunk) for chunk in _slices(plain, DATA_CHUNK)]
    inserts += [_insert_pattern(temp, chunk) for chunk in _component_chunks(linked, PATTERN_CHUNK)]
    return WritePlan(
        graph_iri=graph_iri,
        temp_iri=temp_iri,
        inserts=tuple(inserts),
        # Orphans leave the union first (the temporary graph counts as another holder, so kept
        # triples never leave it); MOVE clears the target and moves the temporary graph in, and an
        # empty graph (nothing inserted) leaves the target empty, as replacing it should.
        swap=(
            f"MOVE SILENT GRAPH {temp} TO {target}" if outside_union(graph_iri) else
            f"{_drop_orphans(target, union)} ;\n"
            f"ADD SILENT GRAPH {temp} TO {union} ;\n"
            f"MOVE SILENT GRAPH {temp} TO {target}"
        ),
        cleanup=f"DROP SILENT GRAPH {temp}",
        triples=len(quads),
    )


def drop_update(graph_iri: str, *, union: bool = True) -> str:
    """Drop a graph and, with ``union``, its triples no other graph holds from the union."""
    target = str(to_ox(URIRef(graph_iri)))
    if not union or outside_union(graph_iri):
        return f"DROP SILENT GRAPH {target}"
    return f"{_drop_orphans(target, str(to_ox(URIRef(UNION_GRAPH))))} ;\nDROP SILENT GRAPH {target}"


def rebuild_union_update() -> str:
    """Fill the union from every graph that is not the server's or the store's own, and mark it
    complete (stores written before the union was kept)."""
    union = to_ox(URIRef(UNION_GRAPH))
    state = to_ox(URIRef(UNION_STATE_GRAPH))
    own = ox.Literal(OWN_GRAPH_PREFIX)
    return (
        f"DROP SILENT GRAPH {union} ;\n"
        f"INSERT {{ GRAPH {union} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }}\n"
        f"  FILTER(!STRSTARTS(STR(?g), {own}) && {_not_system('?g')} && {in_union_filter('?g')}) }} ;\n"
        f"INSERT DATA {{ GRAPH {state} {{ {union} {to_ox(URIRef(UNION_COMPLETE))} {union} }} }}"
    )


def _drop_orphans(target: str, union: str) -> str:
    return (
        f"DELETE {{ GRAPH {union} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }}\n"
        f"    FILTER(?other != {target} && ?other != {union} && {in_union_filter('?other')}) }} }}"
    )


def _not_system(variable: str) -> str:
    return " && ".join(f"!STRSTARTS(STR({variable}), {ox.Literal(prefix)})" for prefix in SYSTEM_GRAPH_PREFIXES)


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _slices(quads: list[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    for start in range(0, len(quads), size):
        yield quads[start : start + size]


def _component_chunks(quads: list[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    """Chunks of about ``size`` triples that never split the triples sharing a blank node."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for q in quads:
        blanks = [t.value for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)]
        for other in blanks[1:]:
            parent[find(other)] = find(blanks[0])
    components: dict[str, list[ox.Quad]] = {}
    for q in quads:
        node = q.subject if isinstance(q.subject, ox.BlankNode) else q.object
        assert isinstance(node, ox.BlankNode)  # only quads with a blank node come here
        components.setdefault(find(node.value), []).append(q)
    chunk: list[ox.Quad] = []
    for members in components.values():
        if chunk and len(chunk) + len(members) > size:
            yield chunk
            chunk = []
        chunk.extend(members)
    if chunk:
        yield chunk


def _insert_data(temp: str, quads: list[ox.Quad]) -> str:
    body = "\n".join(ntriples_lines(quads))
    return f"INSERT DATA {{ GRAPH {temp} {{\n{body}\n}} }}"


def _insert_pattern(temp: str, quads: list[ox.Quad]) -> str:
    body = "\n".join(ntriples_lines(quads))
    return f"INSERT {{ GRAPH {temp} {{\n{body}\n}} }} WHERE {{ }}"
