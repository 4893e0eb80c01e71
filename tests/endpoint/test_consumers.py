"""What real consumers of the endpoint need (issue 14 item 9): SPARQL XML results that keep
``false`` and ``0`` (rdflib's writer left them empty and rdflib's own SPARQLStore warned "weird
boolean"), SPARQLWrapper's JSON-LD request (``format=`` holding an Accept list), and a CORS
preflight that allows the headers a listed origin's page asks for."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSONLD, SPARQLWrapper

from explorer.endpoint import EndpointConfig
from explorer.query.limits import QueryLimits
from tests.endpoint.http import get_query, request, serve

RES = "{http://www.w3.org/2005/sparql-results#}"
FALSY_QUERY = "SELECT ?b ?n ?d ?e WHERE { BIND(false AS ?b) BIND(0 AS ?n) BIND(0.0 AS ?d) BIND('' AS ?e) }"
CONSTRUCT_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
CONSTRUCT { ?p pol:policyNumber ?n } WHERE { ?p pol:policyNumber ?n }"""
POLICY = URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338")


def test_xml_results_keep_false_and_zero(endpoint):
    reply = get_query(endpoint.url, FALSY_QUERY, accept="application/sparql-results+xml")
    assert reply.status == 200, reply.text
    root = ET.fromstring(reply.body)
    values = {b.get("name"): (b[0].text, b[0].get("datatype")) for b in root.iter(RES + "binding")}
    assert values == {"b": ("false", str(XSD.boolean)), "n": ("0", str(XSD.integer)),
                      "d": ("0.0", str(XSD.decimal)), "e": (None, None)}


def test_rdflib_sparqlstore_reads_false_and_zero_without_warnings(endpoint, caplog):
    store = SPARQLStore(endpoint.url, returnFormat="xml")
    with caplog.at_level(logging.WARNING):
        row = next(iter(store.query(FALSY_QUERY)))
    assert row[0] == Literal(False) and row[0].toPython() is False
    assert row[1] == Literal(0) and row[1].toPython() == 0
    assert not [r for r in caplog.records if "weird" in r.getMessage().lower()]


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values", "application/sparql-results+json"])
def test_other_result_formats_keep_false_and_zero(endpoint, accept):
    reply = get_query(endpoint.url, FALSY_QUERY, accept=accept)
    assert reply.status == 200
    assert "false" in reply.text and "0" in reply.text


def test_sparqlwrapper_jsonld_construct(endpoint):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(CONSTRUCT_QUERY)
    client.setReturnFormat(JSONLD)
    graph = client.queryAndConvert()
    assert isinstance(graph, Graph)
    assert (POLICY, URIRef("https://w3id.org/policy-explorer/ontology#policyNumber"), Literal("338")) in graph


def test_format_parameter_is_read_as_an_accept_list(endpoint):
    reply = get_query(endpoint.url, CONSTRUCT_QUERY, format="application/ld+json,application/x-json+ld")
    assert reply.status == 200 and reply.content_type == "application/ld+json"
    reply = get_query(endpoint.url, CONSTRUCT_QUERY, format="text/html;q=1, text/turtle;q=0.5")
    assert reply.status == 200 and reply.content_type == "text/turtle"
    reply = get_query(endpoint.url, FALSY_QUERY, format="application/ld+json,application/x-json+ld")
    assert reply.status == 406  # a SELECT has no JSON-LD form


def test_preflight_echoes_the_requested_headers_for_a_listed_origin_only(seeded_store):
    asked = {"Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type, x-requested-with, authorization, bad header"}
    config = EndpointConfig(limits=QueryLimits(isolation="process"), cors_origins=("https://yasgui.example",))
    with serve(seeded_store, config) as served:
        reply = request(served.url, method="OPTIONS", headers={"Origin": "https://yasgui.example", **asked})
        assert reply.status == 204
        allowed = [h.strip().lower() for h in reply.headers["Access-Control-Allow-Headers"].split(",")]
        assert {"content-type", "accept", "x-requested-with", "authorization"} <= set(allowed)
        assert "bad header" not in allowed
        other = request(served.url, method="OPTIONS", headers={"Origin": "https://evil.example", **asked})
        assert "Access-Control-Allow-Headers" not in other.headers
        assert "Access-Control-Allow-Origin" not in other.headers
    with serve(seeded_store, EndpointConfig(limits=QueryLimits(isolation="process"))) as served:
        reply = request(served.url, method="OPTIONS", headers={"Origin": "https://yasgui.example", **asked})
        assert "Access-Control-Allow-Headers" not in reply.headers  # the default: no origin is listed
