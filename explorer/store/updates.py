"""The SPARQL Update text both stores send to replace or drop a graph.

Terms are converted (and so validated) by pyoxigraph first and written in N-Triples syntax: the text
is data serialization, never formatting of user values. One request is one transaction.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from explorer.store.terms import graph_to_quads, ntriples_lines, to_ox


def replace_graph_update(graph_iri: str, graph: Graph, *, insert_where: bool = False) -> str:
    """``DROP SILENT GRAPH`` + insert of ``graph``; ``insert_where`` uses ``INSERT {...} WHERE {}``
    (Virtuoso refuses blank nodes in ``INSERT DATA``)."""
    quads = graph_to_quads(graph, graph_iri)
    name = to_ox(URIRef(graph_iri))
    body = "\n".join(ntriples_lines(quads))
    insert = (f"INSERT {{ GRAPH {name} {{\n{body}\n}} }} WHERE {{ }}" if insert_where
              else f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
    return f"DROP SILENT GRAPH {name} ;\n{insert}"


def drop_graph_update(graph_iri: str) -> str:
    return f"DROP SILENT GRAPH {to_ox(URIRef(graph_iri))}"
