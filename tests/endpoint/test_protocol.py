"""The SPARQL 1.1 Protocol over real HTTP: the three request forms, content negotiation, datasets."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from explorer.endpoint import EndpointConfig
from explorer.query.limits import QueryLimits
from tests.endpoint.http import get_query, post_direct, post_form, request, serve

POLICY_GRAPH = "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"
VOCABULARY_GRAPH = "https://w3id.org/policy-explorer/graph/vocabulary"
POL = "https://w3id.org/policy-explorer/ontology#"

NUMBER_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
SELECT ?number WHERE { ?p a pol:MedicalPolicy ; pol:policyNumber ?number }"""
CONSTRUCT_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
CONSTRUCT { ?p pol:policyNumber ?n } WHERE { ?p pol:policyNumber ?n }"""
TITLE_338_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?policy ?title WHERE { ?policy pol:policyNumber '338' ; dcterms:title ?title }"""
ASK_338 = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
ASK { ?p pol:policyNumber '338' }"""
ASK_NO_SUCH_POLICY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
ASK { ?p pol:policyNumber 'no-such-policy' }"""
ANY_POLICY_ASK = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
ASK { ?p a pol:MedicalPolicy }"""
SR = "{http://www.w3.org/2005/sparql-results#}"


def _json_numbers(body: bytes) -> list[str]:
    data = json.loads(body)
    assert data["head"]["vars"] == ["number"]
    return [b["number"]["value"] for b in data["results"]["bindings"]]


def test_get_post_form_and_post_direct_give_the_same_answer(endpoint):
    by_get = get_query(endpoint.url, NUMBER_QUERY)
    by_form = post_form(endpoint.url, {"query": NUMBER_QUERY})
    by_body = post_direct(endpoint.url, NUMBER_QUERY)
    for reply in (by_get, by_form, by_body):
        assert reply.status == 200, reply.text
        assert reply.content_type == "application/sparql-results+json"
        assert _json_numbers(reply.body) == ["338"]


def test_select_as_xml(endpoint):
    reply = get_query(endpoint.url, NUMBER_QUERY, accept="application/sparql-results+xml")
    assert reply.status == 200
    assert reply.content_type == "application/sparql-results+xml"
    root = ET.fromstring(reply.body)
    assert [v.get("name") for v in root.iter(f"{SR}variable")] == ["number"]
    assert [lit.text for lit in root.iter(f"{SR}literal")] == ["338"]


def test_select_as_csv_and_tsv(endpoint):
    csv_reply = get_query(endpoint.url, TITLE_338_QUERY, accept="text/csv")
    assert csv_reply.status == 200 and csv_reply.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_reply.text)))
    assert rows[0] == ["policy", "title"]
    assert rows[1][0] == "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    assert "Donor Lymphocyte Infusion" in rows[1][1]
    tsv_reply = get_query(endpoint.url, TITLE_338_QUERY, accept="text/tab-separated-values")
    assert tsv_reply.status == 200 and tsv_reply.content_type == "text/tab-separated-values"
    lines = tsv_reply.text.splitlines()
    assert lines[0] == "?policy\t?title"
    policy, title = lines[1].split("\t")
    assert policy == "<https://w3id.org/policy-explorer/id/policy/bcbsma/338>"
    assert title.startswith('"') and "Donor Lymphocyte Infusion" in title


def test_ask(endpoint):
    yes = get_query(endpoint.url, ASK_338)
    no = get_query(endpoint.url, ASK_NO_SUCH_POLICY, accept="application/sparql-results+xml")
    assert json.loads(yes.body)["boolean"] is True
    assert [b.text for b in ET.fromstring(no.body).iter(f"{SR}boolean")] == ["false"]


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_formats_parse_back_to_the_same_graph(endpoint, accept, rdflib_format):
    reply = get_query(endpoint.url, CONSTRUCT_QUERY, accept=accept)
    assert reply.status == 200, reply.text
    assert reply.content_type == accept
    expected = Graph()
    expected.add((URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338"), URIRef(POL + "policyNumber"),
                  Literal("338")))
    got = Graph().parse(data=reply.body, format=rdflib_format)
    assert isomorphic(got, expected)


def test_jsonld_uses_the_local_context_inline(endpoint):
    reply = get_query(endpoint.url, CONSTRUCT_QUERY, accept="application/ld+json")
    data = json.loads(reply.body)
    assert isinstance(data["@context"], dict)   # inlined, never a URL to fetch
    assert data["@context"]["pol"] == POL


def test_describe_defaults_to_turtle(endpoint):
    reply = get_query(endpoint.url, "DESCRIBE <https://w3id.org/policy-explorer/id/policy/bcbsma/338>")
    assert reply.status == 200 and reply.content_type == "text/turtle"
    graph = Graph().parse(data=reply.body, format="turtle")
    policy = URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338")
    assert (policy, URIRef(POL + "policyNumber"), None) in graph


def test_format_parameter_overrides_accept(endpoint):
    reply = get_query(endpoint.url, NUMBER_QUERY, accept="application/sparql-results+json", format="csv")
    assert reply.content_type == "text/csv"
    assert reply.text.splitlines() == ["number", "338"]


def test_browser_accept_header_gets_a_result(endpoint):
    reply = get_query(endpoint.url, NUMBER_QUERY,
                      accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert reply.status == 200
    assert [lit.text for lit in ET.fromstring(reply.body).iter(f"{SR}literal")] == ["338"]


def test_unacceptable_accept_is_406(endpoint):
    reply = get_query(endpoint.url, NUMBER_QUERY, accept="image/png")
    assert reply.status == 406
    assert "application/sparql-results+json" in reply.text


def test_default_graph_uri_narrows_the_default_graph(endpoint):
    query = ANY_POLICY_ASK
    in_policy = get_query(endpoint.url, query, **{"default-graph-uri": POLICY_GRAPH})
    in_vocabulary = get_query(endpoint.url, query, **{"default-graph-uri": VOCABULARY_GRAPH})
    assert json.loads(in_policy.body)["boolean"] is True
    assert json.loads(in_vocabulary.body)["boolean"] is False


def test_default_graph_uri_also_works_with_a_direct_post(endpoint):
    reply = post_direct(endpoint.url, ANY_POLICY_ASK, params={"default-graph-uri": VOCABULARY_GRAPH})
    assert json.loads(reply.body)["boolean"] is False


def test_unknown_default_graph_is_400(endpoint):
    reply = get_query(endpoint.url, NUMBER_QUERY, **{"default-graph-uri": "https://example.org/nothing"})
    assert reply.status == 400
    assert "https://example.org/nothing" in reply.text


GRAPHS_SEEN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def _graphs_seen(reply) -> set[str]:
    assert reply.status == 200, reply.text
    return {row["g"]["value"] for row in json.loads(reply.body)["results"]["bindings"]}


def test_named_graph_uri_is_the_only_graph_graph_patterns_see(endpoint):
    everything = _graphs_seen(get_query(endpoint.url, GRAPHS_SEEN))
    assert POLICY_GRAPH in everything and VOCABULARY_GRAPH in everything
    assert _graphs_seen(get_query(endpoint.url, GRAPHS_SEEN, **{"named-graph-uri": POLICY_GRAPH})) == {POLICY_GRAPH}
    direct = post_direct(endpoint.url, GRAPHS_SEEN, params={"named-graph-uri": VOCABULARY_GRAPH})
    assert _graphs_seen(direct) == {VOCABULARY_GRAPH}
    # the default graph is not narrowed by naming graphs for GRAPH patterns
    reply = get_query(endpoint.url, NUMBER_QUERY, **{"named-graph-uri": VOCABULARY_GRAPH})
    assert reply.status == 200 and json.loads(reply.body)["results"]["bindings"]


def test_unknown_named_graph_is_400_and_never_fetched(endpoint):
    reply = get_query(endpoint.url, GRAPHS_SEEN, **{"named-graph-uri": "https://example.org/nothing"})
    assert reply.status == 400
    assert "named-graph-uri" in reply.text and "https://example.org/nothing" in reply.text


def test_service_description_lists_the_graphs(endpoint):
    reply = request(endpoint.url, headers={"Accept": "text/turtle"})
    assert reply.status == 200 and reply.content_type == "text/turtle"
    graph = Graph().parse(data=reply.body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(endpoint.url), URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert {POLICY_GRAPH, VOCABULARY_GRAPH} <= names


def test_cors_headers_and_preflight(seeded_store):
    """An origin on the allow-list (``--cors-origin``) may query and read; by default none may
    (tests/security/test_cross_origin.py attacks that default)."""
    config = EndpointConfig(limits=QueryLimits(isolation="process"), cors_origins=("https://yasgui.example",))
    with serve(seeded_store, config) as served:
        reply = request(served.url, params={"query": NUMBER_QUERY}, headers={"Origin": "https://yasgui.example"})
        assert reply.status == 200
        assert reply.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        preflight = request(served.url, method="OPTIONS", headers={
            "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type"})
        assert preflight.status == 204
        assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
        assert preflight.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"


def test_home_page_has_no_remote_resources(endpoint):
    reply = request(endpoint.base + "/")
    assert reply.status == 200 and reply.content_type == "text/html"
    assert "http://" not in reply.text and "https://" not in reply.text
    assert "<script" not in reply.text


def test_unknown_path_is_404(endpoint):
    reply = request(endpoint.base + "/update")
    assert reply.status == 404
    assert "/sparql" in reply.text
