"""Serialize a policy or the whole corpus: Turtle, N-Triples, N-Quads, TriG, JSON-LD (local context)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import Dataset, Graph, URIRef

from explorer.errors import ExplorerError
from explorer.model import PREFIXES
from explorer.resources import ontology_dir


@dataclass(frozen=True)
class RdfFormat:
    name: str            # what users type: ttl, nt, nq, trig, jsonld
    rdflib_format: str
    media_type: str
    suffix: str
    quads: bool          # keeps named graphs


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", "turtle", "text/turtle", ".ttl", False),
        RdfFormat("nt", "nt", "application/n-triples", ".nt", False),
        RdfFormat("nq", "nquads", "application/n-quads", ".nq", True),
        RdfFormat("trig", "trig", "application/trig", ".trig", True),
        RdfFormat("jsonld", "json-ld", "application/ld+json", ".jsonld", False),
    )
}


def rdf_format(name: str) -> RdfFormat:
    """The format called ``name`` (``turtle`` and ``json-ld`` accepted as aliases)."""
    key = {"turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "nquads": "nq"}.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise ExplorerError(f"unknown export format {name!r}; choose one of: {', '.join(FORMATS)}")
    return FORMATS[key]


@cache
def jsonld_context() -> dict[str, Any]:
    """The bundled JSON-LD context (``ontology/context.jsonld``); never fetched from the web."""
    path = ontology_dir() / "context.jsonld"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        return dict(data.get("@context", data))
    return dict(PREFIXES)


def serialize_graphs(graphs: Sequence[tuple[str, Graph]], fmt: str) -> str:
    """``graphs`` as (graph IRI, graph) pairs in one document of format ``fmt``.

    Quad formats keep each named graph; triple formats merge them.
    """
    spec = rdf_format(fmt)
    if spec.name in ("ttl", "trig"):
        return oxigraph_serialize(graphs, spec.name).decode("utf-8")
    if spec.quads:
        dataset = Dataset()
        for prefix, ns in PREFIXES.items():
            dataset.bind(prefix, ns)
        for iri, graph in graphs:
            named = dataset.graph(URIRef(iri))
            for triple in graph:
                named.add(triple)
        return dataset.serialize(format=spec.rdflib_format)
    merged = Graph()
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns)
    for _, graph in graphs:
        for triple in graph:
            merged.add(triple)
    if spec.name == "jsonld":
        return merged.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    return merged.serialize(format=spec.rdflib_format)


def oxigraph_serialize(graphs: Sequence[tuple[str, Graph]], fmt: str = "ttl") -> bytes:
    """Turtle (graphs merged) or TriG written by pyoxigraph, which keeps every literal's lexical form
    as stored (rdflib's Turtle writer turns ``"40"^^xsd:decimal`` into ``40.0``, a different literal)."""
    import pyoxigraph as ox

    from explorer.store.terms import BlankNodeMap, to_ox

    bnodes = BlankNodeMap()
    iris = {str(t) for _, graph in graphs for triple in graph for t in triple if isinstance(t, URIRef)}
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}
    if fmt == "trig":
        quads = [ox.Quad(to_ox(s, bnodes), to_ox(p, bnodes), to_ox(o, bnodes), ox.NamedNode(name))  # type: ignore[arg-type]
                 for name, graph in graphs for s, p, o in graph]
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
    triples = {ox.Triple(to_ox(s, bnodes), to_ox(p, bnodes), to_ox(o, bnodes))  # type: ignore[arg-type]
               for _, graph in graphs for s, p, o in graph}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
