"""The SPARQL 1.1 Service Description of the endpoint (answer to a GET without a query)."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint_url: str, graph_iris: Sequence[str]) -> Graph:
    """An ``sd:Service`` for ``endpoint_url``: SPARQL 1.1 Query only, its result formats, and a
    default dataset whose default graph is the union of ``graph_iris`` (each also a named graph)."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint_url)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in _RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    default = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for iri in graph_iris:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
    return g
