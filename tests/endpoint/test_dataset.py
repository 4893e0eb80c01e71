"""FROM / FROM NAMED over the store's own graphs (issue 14 item 10): read like default-graph-uri /
named-graph-uri, never fetched; an IRI the store does not hold, prefixed or BASE-relative graph names
are refused."""

from __future__ import annotations

import http.server
import threading

import pytest

from explorer.endpoint.dataset import split_dataset
from explorer.endpoint.protocol import ProtocolError
from tests.endpoint.http import get_query, post_direct

POLICY_GRAPH = "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"
VOCABULARY_GRAPH = "https://w3id.org/policy-explorer/graph/vocabulary"
COUNT_POLICIES = ("SELECT (COUNT(*) AS ?n) {from} "
                  "WHERE {{ ?p a <https://w3id.org/policy-explorer/ontology#MedicalPolicy> }}")


def _count(reply) -> int:
    import json

    assert reply.status == 200, reply.text
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def test_from_own_graph_is_the_default_graph(endpoint):
    everything = _count(get_query(endpoint.url, COUNT_POLICIES.format(**{"from": ""})))
    policy = _count(get_query(endpoint.url, COUNT_POLICIES.format(**{"from": f"FROM <{POLICY_GRAPH}>"})))
    vocabulary = _count(get_query(endpoint.url, COUNT_POLICIES.format(**{"from": f"FROM <{VOCABULARY_GRAPH}>"})))
    assert everything >= 1 and policy == 1 and vocabulary == 0
    direct = post_direct(endpoint.url, COUNT_POLICIES.format(**{"from": f"FROM <{POLICY_GRAPH}>"}))
    assert _count(direct) == 1


def test_from_elsewhere_is_refused_and_never_fetched(endpoint):
    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        elsewhere = f"http://127.0.0.1:{server.server_port}/graph.ttl"
        for clause in (f"FROM <{elsewhere}>", f"FROM NAMED <{elsewhere}>",
                       f"FROM <{POLICY_GRAPH}> FROM <{elsewhere}>"):
            reply = get_query(endpoint.url, COUNT_POLICIES.format(**{"from": clause}))
            assert reply.status == 400 and "FROM" in reply.text, reply.text
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_split_dataset_cuts_only_the_clauses():
    known = {POLICY_GRAPH, VOCABULARY_GRAPH}
    text = (f"PREFIX from: <http://x/>\nSELECT * FROM <{POLICY_GRAPH}> # c\n FROM <{VOCABULARY_GRAPH}> "
            "WHERE { ?s from:p ?o }")
    ds = split_dataset(text, known)
    assert ds.default_graphs == (POLICY_GRAPH, VOCABULARY_GRAPH)
    assert "FROM" not in ds.text and "from:p" in ds.text and "PREFIX from:" in ds.text
    assert split_dataset("SELECT * WHERE { ?s ?p '<FROM <x>>' }", known).default_graphs == ()
    construct = ("CONSTRUCT { ?s ?p ?o } "
                 "FROM <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> WHERE { ?s ?p ?o }")
    assert split_dataset(construct, known).default_graphs == (POLICY_GRAPH,)
    named = split_dataset(f"SELECT * FROM NAMED <{POLICY_GRAPH}> FROM <{VOCABULARY_GRAPH}> WHERE {{}}", known)
    assert named.named_graphs == (POLICY_GRAPH,) and named.default_graphs == (VOCABULARY_GRAPH,)
    assert "FROM" not in named.text and "NAMED" not in named.text
    for bad in ("SELECT * FROM pol:g WHERE {}", "BASE <http://x/> SELECT * FROM <g> WHERE {}",
                "SELECT * FROM NAMED pol:g WHERE {}", "SELECT * FROM NAMED <http://else/> WHERE {}",
                "SELECT * FROM <http://else/> WHERE {}"):
        with pytest.raises(ProtocolError):
            split_dataset(bad, known)


def test_from_named_is_what_graph_patterns_see(endpoint):
    import json

    query = f"SELECT DISTINCT ?g FROM NAMED <{POLICY_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    reply = get_query(endpoint.url, query)
    assert reply.status == 200, reply.text
    assert [row["g"]["value"] for row in json.loads(reply.body)["results"]["bindings"]] == [POLICY_GRAPH]
    # the protocol's named-graph-uri wins over the query's FROM NAMED
    reply = get_query(endpoint.url, query, **{"named-graph-uri": VOCABULARY_GRAPH})
    assert [row["g"]["value"] for row in json.loads(reply.body)["results"]["bindings"]] == [VOCABULARY_GRAPH]
