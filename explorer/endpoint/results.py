"""A :class:`~explorer.query.runner.QueryResult` as the bytes of one SPARQL 1.1 result format.

SELECT / ASK: SPARQL Results JSON, XML, CSV and TSV (W3C "SPARQL 1.1 Query Results CSV and TSV
Formats"). CONSTRUCT / DESCRIBE: Turtle, N-Triples, JSON-LD (compacted with the project's local
context, never a remote one) and RDF/XML.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from explorer.errors import QueryError
from explorer.query.runner import QueryResult
from explorer.store.results import ask_result, select_result

_RESULT_WRITERS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_WRITERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
}


@dataclass(frozen=True)
class Rendered:
    """A response body and its Content-Type header value."""

    body: bytes
    content_type: str


def render_result(result: QueryResult, media_type: str) -> Rendered:
    """``result`` in ``media_type`` (one of ``negotiate.RESULT_TYPES`` or ``GRAPH_TYPES``).

    :raises QueryError: the media type does not suit the result's kind.
    """
    if result.kind == "graph":
        fmt = _GRAPH_WRITERS.get(media_type)
        if fmt is None:
            raise QueryError(f"a CONSTRUCT/DESCRIBE result cannot be written as {media_type}")
        return Rendered(_graph_bytes(result.graph or Graph(), fmt), _with_charset(media_type))
    fmt = _RESULT_WRITERS.get(media_type)
    if fmt is None:
        raise QueryError(f"a {result.kind.upper()} result cannot be written as {media_type}")
    if fmt == "tsv":
        return Rendered(_tsv(result).encode("utf-8"), _with_charset(media_type))
    if result.kind == "ask":
        if fmt == "csv":  # the W3C CSV format has no ASK form; write the usual one-cell table
            body = f"_askResult\r\n{str(bool(result.boolean)).lower()}\r\n".encode()
            return Rendered(body, _with_charset(media_type))
        rdf_result = ask_result(bool(result.boolean))
    else:
        rows = [dict(zip(result.columns, row, strict=False)) for row in result.rows]
        rdf_result = select_result(result.columns, rows)
    out = io.BytesIO()
    rdf_result.serialize(out, format=fmt, encoding="utf-8")
    return Rendered(out.getvalue(), _with_charset(media_type))


def _graph_bytes(graph: Graph, fmt: str) -> bytes:
    if fmt == "turtle":
        return _oxigraph_turtle(graph)
    if fmt == "json-ld":
        from explorer.render.rdf_export import jsonld_context

        text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    else:
        text = graph.serialize(format=fmt)
    return text.encode("utf-8")


def _oxigraph_turtle(graph: Graph) -> bytes:
    """Turtle that keeps every literal's lexical form (see ``rdf_export.oxigraph_serialize``)."""
    from explorer.render.rdf_export import oxigraph_serialize

    return oxigraph_serialize([("", graph)], "ttl")


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: ``?var`` header, terms in Turtle/N-Triples syntax, unbound = empty."""
    if result.kind == "ask":
        return f"?_askResult\n{str(bool(result.boolean)).lower()}\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    for row in result.rows:
        lines.append("\t".join(_tsv_term(term) for term in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, BNode)):
        return term.n3()
    if isinstance(term, Literal):
        return term.n3().replace("\t", "\\t")
    return str(term)


def _with_charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("+json", "+xml", "/json", "/xml"))
    return f"{media_type}; charset=utf-8" if textual or media_type == "application/n-triples" else media_type
