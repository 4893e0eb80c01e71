"""Every RDF export parses back to a graph isomorphic to what the store holds (named graphs kept
by TriG and N-Quads); JSON-LD and RDF/XML parse without fetching anything."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from explorer.errors import ExplorerError
from explorer.exporting import evidence_graph_of, export
from explorer.pipeline import export_graphs
from explorer.render.exports import RDF_FORMATS, evidence_subgraphs

PARSERS = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml", "jsonld": "json-ld"}
POLICY = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"


def _merged(graphs) -> Graph:
    merged = Graph()
    for _, graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def _parse_triples(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=PARSERS[fmt])


# rdflib's Turtle/TriG writer prints "40"^^xsd:decimal (the store's canonical form) as 40.0, a
# different literal; explorer.render.rdf_export (not this package) needs the fix, see the report.


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdfxml", "jsonld"])
@pytest.mark.parametrize("inferred", [False, True])
def test_triple_formats_round_trip(export_store, fmt, inferred):
    result = export(export_store, fmt, policy="338", inferred=inferred)
    source = _merged(export_graphs(export_store, "338", inferred=inferred))
    assert result.triples == sum(len(g) for _, g in export_graphs(export_store, "338", inferred=inferred))
    assert isomorphic(_parse_triples(result.files[0].text, fmt), source)


@pytest.mark.parametrize(("fmt", "parser"), [("trig", "trig"), ("nq", "nquads")])
def test_quad_formats_keep_named_graphs(export_store, fmt, parser):
    result = export(export_store, fmt, inferred=True, vocabulary=True)
    dataset = Dataset().parse(data=result.files[0].text, format=parser)
    expected = export_graphs(export_store, None, inferred=True, vocabulary=True)
    got = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    assert set(got) == {name for name, graph in expected if len(graph)}
    for name, graph in expected:
        if len(graph):
            assert isomorphic(got[name], graph), name


def test_jsonld_context_is_inline(export_store):
    data = json.loads(export(export_store, "jsonld", policy="338").files[0].text)
    assert isinstance(data["@context"], dict)


def test_evidence_scope_keeps_only_evidence_triples(export_store):
    nodes = {URIRef(n.id) for n in evidence_graph_of(export_store, [POLICY]).nodes}
    full = export(export_store, "ttl", policy="338")
    scoped = export(export_store, "ttl", policy="338", evidence=True)
    graph = Graph().parse(data=scoped.files[0].text, format="turtle")
    assert 0 < len(graph) == scoped.triples < full.triples
    assert set(graph.subjects()) <= nodes
    expected = _merged(evidence_subgraphs(export_graphs(export_store, "338"), evidence_graph_of(
        export_store, [POLICY]).nodes))
    assert isomorphic(graph, expected)
    from rdflib import Literal

    from explorer.model import POL

    statement = next(s for s in graph.subjects(POL.statementNumber, Literal(1)))  # IRIs are content keys
    assert str(statement).startswith(POLICY + "/statement/")


def test_every_rdf_format_is_offered():
    assert set(RDF_FORMATS) == {"ttl", "nt", "trig", "nq", "rdfxml", "jsonld"}


def test_unknown_format_and_policy_are_errors(export_store):
    with pytest.raises(ExplorerError, match="unknown export format"):
        export(export_store, "docx")
    with pytest.raises(ExplorerError, match="999"):
        export(export_store, "ttl", policy="999")
