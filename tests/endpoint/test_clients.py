"""Real SPARQL clients against the endpoint: SPARQLWrapper (Jupyter's usual client) and rdflib's
SPARQLStore, including how each sees the refusals."""

from __future__ import annotations

import urllib.error

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

POL = "https://w3id.org/policy-explorer/ontology#"
POLICY = URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338")
POLICY_GRAPH = "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"
NUMBER_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
SELECT ?p ?number WHERE { ?p a pol:MedicalPolicy ; pol:policyNumber ?number }"""
CONSTRUCT_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
CONSTRUCT { ?p pol:policyNumber ?n } WHERE { ?p pol:policyNumber ?n }"""
POLICY_338_ASK = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
ASK { <https://w3id.org/policy-explorer/id/policy/bcbsma/338> a pol:MedicalPolicy }"""
ANY_POLICY_ASK = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
ASK { ?p a pol:MedicalPolicy }"""


def _expected_construct() -> Graph:
    graph = Graph()
    graph.add((POLICY, URIRef(POL + "policyNumber"), Literal("338")))
    return graph


@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_sparqlwrapper_select_json(endpoint, method):
    client = SPARQLWrapper(endpoint.url)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    else:
        client.setMethod(method)
    client.setQuery(NUMBER_QUERY)
    client.setReturnFormat(JSON)
    data = client.queryAndConvert()
    assert [(b["p"]["value"], b["number"]["value"]) for b in data["results"]["bindings"]] == [(str(POLICY), "338")]


def test_sparqlwrapper_select_xml_and_csv(endpoint):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(NUMBER_QUERY)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == ["338"]
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().decode().splitlines()[1] == f"{POLICY},338"


def test_sparqlwrapper_ask(endpoint):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(POLICY_338_ASK)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, XML, JSON])
def test_sparqlwrapper_construct(endpoint, fmt):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(CONSTRUCT_QUERY)
    client.setReturnFormat(fmt)
    result = client.query()
    # SPARQLWrapper returns Turtle as bytes and parses RDF/XML and JSON-LD into an rdflib Graph
    graph = Graph().parse(data=result.convert(), format="turtle") if fmt == TURTLE else result.convert()
    assert isomorphic(graph, _expected_construct())


def test_sparqlwrapper_sees_bad_queries_as_bad_formed(endpoint):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery("SELEC ?s WHERE { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as info:
        client.query()
    assert "malformed SPARQL" in str(info.value)


def test_sparqlwrapper_update_is_refused(endpoint):
    client = SPARQLWrapper(endpoint.url)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(urllib.error.HTTPError) as info:   # sent as update=..., refused with 403
        client.query()
    assert info.value.code == 403
    assert "read-only" in info.value.read().decode()
    reader = Graph(store=SPARQLStore(endpoint.url))
    assert reader.query("ASK { <urn:a> <urn:b> <urn:c> }").askAnswer is False


def test_rdflib_sparqlstore_select_and_construct(endpoint):
    graph = Graph(store=SPARQLStore(endpoint.url))
    rows = list(graph.query(NUMBER_QUERY))
    assert [(row.p, row.number) for row in rows] == [(POLICY, Literal("338"))]
    constructed = graph.query(CONSTRUCT_QUERY).graph
    assert isomorphic(constructed, _expected_construct())
    assert graph.query(POLICY_338_ASK).askAnswer is True


def test_rdflib_sparqlstore_with_a_graph_identifier_sends_default_graph_uri(endpoint):
    in_policy = Graph(store=SPARQLStore(endpoint.url), identifier=URIRef(POLICY_GRAPH))
    in_vocab = Graph(store=SPARQLStore(endpoint.url),
                     identifier=URIRef("https://w3id.org/policy-explorer/graph/vocabulary"))
    assert in_policy.query(ANY_POLICY_ASK).askAnswer is True
    assert in_vocab.query(ANY_POLICY_ASK).askAnswer is False


def test_rdflib_sparqlupdatestore_cannot_write(endpoint):
    store = SPARQLUpdateStore(query_endpoint=endpoint.url, update_endpoint=endpoint.url)
    with pytest.raises(urllib.error.HTTPError) as info:
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert info.value.code == 403
    reader = Graph(store=SPARQLStore(endpoint.url))
    assert reader.query("ASK { <urn:a> <urn:b> <urn:c> }").askAnswer is False
