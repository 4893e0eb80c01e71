"""Issue 11, low: a hostile ``Host`` header never gets a 500 from the service description, and
never reaches its IRIs: the endpoint IRI is the Host only when it is a well-formed host[:port]."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, URIRef

from explorer.endpoint import EndpointConfig
from explorer.query.limits import QueryLimits
from tests.endpoint.http import serve

SD = "http://www.w3.org/ns/sparql-service-description#"
HOSTILE_HOSTS = ["a>b", "x\"><script>alert(1)</script>", "{evil}", "a b", "<urn:x>", "h:99999999", "", "[zz]:1",
                 "example.org:80/../x", "%3E"]


def _describe(url: str, host: str, accept: str) -> tuple[int, bytes, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", "/sparql", skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        conn.putheader("Accept", accept)
        conn.endheaders()
        reply = conn.getresponse()
        return reply.status, reply.read(), reply.getheader("Content-Type") or ""
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(seeded_store):
    with serve(seeded_store, EndpointConfig(limits=QueryLimits(isolation="process"))) as s:
        yield s


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/rdf+xml"])
def test_hostile_host_header_gets_a_description_of_the_server_address(served, host, accept):
    status, body, content_type = _describe(served.url, host, accept)
    assert status == 200, body[:300]
    graph = Graph().parse(data=body, format={"text/turtle": "turtle", "application/ld+json": "json-ld",
                                             "application/rdf+xml": "xml"}[accept])
    services = list(graph.subjects(URIRef(SD + "endpoint"), None))
    assert len(services) == 1, services
    iri = urlsplit(str(services[0]))  # the server's own name for its bound address
    assert (iri.scheme, iri.hostname, iri.port, iri.path) in {
        ("http", name, urlsplit(served.url).port, "/sparql") for name in ("127.0.0.1", "localhost")}, iri


def test_well_formed_host_header_is_used(served):
    status, body, _ = _describe(served.url, "sparql.example:8000", "text/turtle")
    assert status == 200
    graph = Graph().parse(data=body, format="turtle")
    assert set(graph.subjects(URIRef(SD + "endpoint"), None)) == {URIRef("http://sparql.example:8000/sparql")}
