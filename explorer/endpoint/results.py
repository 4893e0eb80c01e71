"""A :class:`~explorer.query.runner.QueryResult` as the bytes of one SPARQL 1.1 result format.

SELECT / ASK: SPARQL Results JSON, XML, CSV and TSV (W3C "SPARQL 1.1 Query Results CSV and TSV
Formats"), written by pyoxigraph's result serializers (rdflib's XML writer wrote ``false`` and
``0`` as empty values, and rdflib's own SPARQLStore then warned "weird boolean").
CONSTRUCT / DESCRIBE: Turtle, N-Triples, JSON-LD (compacted with the project's local
context, never a remote one) and RDF/XML.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib import Graph

from explorer.errors import QueryError
from explorer.query.formats import to_json
from explorer.query.runner import QueryResult

_RESULT_WRITERS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_OXIGRAPH_FORMATS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                     "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
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
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        # the W3C CSV/TSV formats have no ASK form; write the usual one-cell table
        word = str(bool(result.boolean)).lower()
        body = f"_askResult\r\n{word}\r\n" if fmt == "csv" else f"?_askResult\n{word}\n"
        return Rendered(body.encode(), _with_charset(media_type))
    return Rendered(_oxigraph_results(result, fmt), _with_charset(media_type))


def _oxigraph_results(result: QueryResult, fmt: str) -> bytes:
    """SELECT/ASK results written by pyoxigraph: the rows go over as SPARQL JSON (every term with
    its type, datatype and language), are read by pyoxigraph and written in ``fmt``."""
    solutions = parse_query_results(to_json(result).encode("utf-8"), QueryResultsFormat.JSON)
    return solutions.serialize(format=_OXIGRAPH_FORMATS[fmt]) or b""  # no output argument: bytes


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


def _with_charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("+json", "+xml", "/json", "/xml"))
    return f"{media_type}; charset=utf-8" if textual or media_type == "application/n-triples" else media_type
