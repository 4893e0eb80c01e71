"""Read-only and hostile input: updates, LOAD, SERVICE, FROM, malformed and oversized requests,
limits. Every refusal is a 4xx/5xx with a one-line plain-text reason and never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.endpoint.http import get_query, post_direct, post_form, request

COUNT = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
SELECT (COUNT(*) AS ?n) WHERE { ?p a pol:MedicalPolicy }"""
POLICIES = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
SELECT ?p WHERE { ?p a pol:MedicalPolicy }"""


def _policy_count(endpoint) -> int:
    reply = get_query(endpoint.url, COUNT)
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def _assert_clean_error(reply, status: int, *words: str) -> None:
    assert reply.status == status, (reply.status, reply.text)
    assert reply.content_type == "text/plain"
    assert "Traceback" not in reply.text and 'File "' not in reply.text
    assert len(reply.text.strip().splitlines()) == 1
    for word in words:
        assert word in reply.text


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
])
def test_update_text_as_a_query_is_refused(endpoint, update):
    _assert_clean_error(get_query(endpoint.url, update), 400, "not allowed")
    _assert_clean_error(post_direct(endpoint.url, update), 400, "not allowed")
    assert _policy_count(endpoint) == 1


def test_update_operation_is_forbidden(endpoint):
    update = "DELETE WHERE { ?s ?p ?o }"
    _assert_clean_error(post_form(endpoint.url, {"update": update}), 403, "read-only")
    _assert_clean_error(post_direct(endpoint.url, update, content_type="application/sparql-update"), 403, "read-only")
    _assert_clean_error(request(endpoint.url, params={"update": update}), 403, "read-only")
    assert _policy_count(endpoint) == 1


def test_service_is_refused_even_when_nested(endpoint):
    query = "SELECT * WHERE { OPTIONAL { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } } }"
    _assert_clean_error(get_query(endpoint.url, query), 400, "SERVICE")


def test_from_is_refused(endpoint):
    """FROM naming anything but a graph of this store is refused (FROM over the store's own graphs
    is allowed: tests/endpoint/test_dataset.py)."""
    _assert_clean_error(get_query(endpoint.url, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"), 400, "FROM")


@pytest.mark.parametrize("query", [
    "SELEC ?s WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ",
    "",
    "}}}}{{{{",
    "SELECT ?s WHERE { ?s <not an iri> ?o }",
])
def test_malformed_query_is_400_with_a_message(endpoint, query):
    reply = get_query(endpoint.url, query)
    _assert_clean_error(reply, 400)
    assert "SPARQL" in reply.text or "query" in reply.text


def test_deeply_nested_query_is_refused_cleanly(endpoint):
    query = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    reply = post_direct(endpoint.url, query)
    assert reply.status in (400, 503), reply.text
    assert "Traceback" not in reply.text


def test_huge_query_in_a_form_is_refused(endpoint):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 150_000
    _assert_clean_error(post_form(endpoint.url, {"query": query}), 400, "longer than")


def test_body_over_the_limit_is_413_without_reading_it(tight_endpoint):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    _assert_clean_error(post_direct(tight_endpoint.url, query), 413, "limit")


def test_unknown_post_type_is_415(endpoint):
    _assert_clean_error(post_direct(endpoint.url, COUNT, content_type="text/plain"), 415, "application/sparql-query")


def test_two_queries_are_400(endpoint):
    _assert_clean_error(request(endpoint.url, params={"query": [COUNT, COUNT]}), 400, "one query")


def test_bad_utf8_is_400(endpoint):
    reply = request(endpoint.url + "?query=SELECT%20%FF%FE", headers={})
    _assert_clean_error(reply, 400, "UTF-8")


def test_other_methods_are_405(endpoint):
    reply = request(endpoint.url, method="PUT", data=b"x")
    _assert_clean_error(reply, 405)
    assert "GET" in reply.headers["Allow"]


def test_row_limit_cuts_and_flags_the_result(tight_endpoint):
    reply = get_query(tight_endpoint.url, "SELECT ?s WHERE { ?s ?p ?o }")
    assert reply.status == 200
    assert len(json.loads(reply.body)["results"]["bindings"]) == 5
    assert reply.headers["X-Result-Truncated"] == "true"
    assert reply.headers["X-Row-Limit"] == "5"
    small = get_query(tight_endpoint.url, POLICIES)
    assert small.headers.get("X-Result-Truncated") is None


def test_row_limit_applies_to_construct(tight_endpoint):
    from rdflib import Graph

    reply = get_query(tight_endpoint.url, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert len(Graph().parse(data=reply.body, format="nt")) == 5
    assert reply.headers["X-Result-Truncated"] == "true"


def test_time_limit_stops_a_runaway_query(short_time_endpoint):
    # about 10^14 solutions: no machine finishes this within the limit
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    reply = get_query(short_time_endpoint.url, runaway)
    _assert_clean_error(reply, 503, "time limit")
    assert reply.headers["Retry-After"]
    # the server is still answering
    assert get_query(short_time_endpoint.url, COUNT).status == 200


def test_huge_url_is_refused_without_a_traceback(endpoint):
    reply = get_query(endpoint.url, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000)
    assert reply.status in (400, 414)
    assert b"Traceback" not in reply.body


def test_short_body_is_400(endpoint):
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=40) as sock:
        sock.sendall(b"POST /sparql HTTP/1.0\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK {}")
        sock.shutdown(socket.SHUT_WR)
        answer = sock.makefile("rb").read().decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.0 400") or answer.startswith("HTTP/1.1 400"), answer[:200]
    assert "Traceback" not in answer
