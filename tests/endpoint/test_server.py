"""The endpoint on a real server (issue 14 item 10): HTTP/1.1 keep-alive, gzip, many clients at
once (a slow query does not hold up the others), /health, named-graph downloads (Graph Store
Protocol, read) and the offline YASGUI page."""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import time
import urllib.parse

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.endpoint.http import get_query, request

POLICY_GRAPH = "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"
NUMBER_QUERY = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
SELECT ?p ?number WHERE { ?p a pol:MedicalPolicy ; pol:policyNumber ?number }"""
TEXT_QUERY = "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } LIMIT 300"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _connection(served) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(served.url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def test_keep_alive_serves_many_requests_on_one_connection(endpoint):
    conn = _connection(endpoint)
    path = "/sparql?" + urllib.parse.urlencode({"query": NUMBER_QUERY})
    conn.request("GET", path)
    first = conn.getresponse()
    first.read()
    sock = conn.sock
    assert first.version == 11 and not first.will_close
    for _ in range(10):
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        reply = conn.getresponse()
        assert reply.status == 200 and "338" in reply.read().decode()
    assert conn.sock is sock  # the same TCP connection all along
    conn.close()


def test_gzip_when_asked(endpoint):
    conn = _connection(endpoint)
    path = "/sparql?" + urllib.parse.urlencode({"query": TEXT_QUERY})
    conn.request("GET", path, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    zipped = conn.getresponse()
    body = zipped.read()
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in zipped.getheader("Vary")
    conn.request("GET", path, headers={"Accept": "text/csv"})
    plain = conn.getresponse()
    text = plain.read()
    assert plain.getheader("Content-Encoding") is None
    assert gzip.decompress(body) == text and len(body) < len(text) / 2
    assert zipped.getheader("X-Content-Type-Options") == "nosniff"  # the guards survive compression


def test_many_clients_at_once(endpoint):
    failures: list[object] = []

    def client() -> None:
        conn = _connection(endpoint)
        for _ in range(5):
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": NUMBER_QUERY}))
            reply = conn.getresponse()
            if reply.status != 200 or "338" not in reply.read().decode():
                failures.append(reply.status)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []


def test_a_slow_query_does_not_hold_up_other_clients(short_time_endpoint):
    slow = threading.Thread(target=get_query, args=(short_time_endpoint.url, RUNAWAY))
    slow.start()
    time.sleep(0.3)
    started = time.monotonic()
    reply = request(short_time_endpoint.base + "/health")
    assert reply.status == 200 and time.monotonic() - started < 1.0
    slow.join(30)


def test_health(endpoint):
    reply = request(endpoint.base + "/health")
    assert reply.status == 200 and reply.content_type == "application/json"
    body = json.loads(reply.body)
    assert body["status"] == "ok" and body["graphs"] >= 2


def test_named_graph_download(endpoint, seeded_store):
    reply = request(endpoint.url, params={"graph": POLICY_GRAPH}, headers={"Accept": "text/turtle"})
    assert reply.status == 200 and reply.content_type == "text/turtle"
    assert isomorphic(Graph().parse(data=reply.body, format="turtle"), seeded_store.get_graph(POLICY_GRAPH))
    reply = request(endpoint.url, params={"graph": POLICY_GRAPH, "format": "nt"})
    assert reply.content_type == "application/n-triples"
    missing = request(endpoint.url, params={"graph": "https://example.org/elsewhere"})
    assert missing.status == 404 and "not a graph of this store" in missing.text
    assert request(endpoint.url, params={"graph": POLICY_GRAPH}, method="POST").status in (400, 405, 415)


def test_named_graph_download_is_cut_at_the_row_limit(tight_endpoint):
    reply = request(tight_endpoint.url, params={"graph": POLICY_GRAPH, "format": "nt"})
    assert reply.status == 200 and reply.headers["X-Result-Truncated"] == "true"
    assert len([line for line in reply.text.splitlines() if line.strip()]) == 5


def test_yasgui_is_served_locally_with_its_own_policy(endpoint):
    page = request(endpoint.base + "/yasgui/")
    assert page.status == 200 and page.content_type == "text/html"
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy and "default-src 'none'" in policy
    assert len(page.headers.get_all("Content-Security-Policy")) == 1
    script = request(endpoint.base + "/yasgui/yasgui.min.js")
    assert script.status == 200 and script.content_type == "text/javascript" and len(script.body) > 500_000
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert request(endpoint.base + "/yasgui/../app.py").status == 404
    assert request(endpoint.base + "/yasgui/VENDORED.md").status == 404
    home = request(endpoint.base + "/")
    assert "href='/yasgui/'" in home.text and "<script" not in home.text


@pytest.mark.browser
def test_yasgui_runs_a_query_in_chromium_with_no_network(endpoint):
    from tests.browser_support import Watch, launch_chromium

    with launch_chromium() as browser:
        page = browser.new_page()
        watch = Watch(page, allowed_prefixes=(endpoint.base + "/",))
        page.goto(endpoint.base + "/yasgui/")
        page.wait_for_function("() => window.yasgui && window.yasgui.getTab()", timeout=30_000)
        page.evaluate("""(q) => { const tab = window.yasgui.getTab(); tab.getYasqe().setValue(q); tab.query(); }""",
                      NUMBER_QUERY)
        page.wait_for_function("() => document.querySelector('.yasr') && "
                               "document.querySelector('.yasr').innerText.includes('338')", timeout=30_000)
        assert not watch.blocked, watch.blocked
        assert not watch.errors and not watch.console_errors, (watch.errors, watch.console_errors)


FIRST_QUERIES_SCRIPT = r"""
import json, sys, threading, urllib.parse, urllib.request, urllib.error
from explorer.endpoint import EndpointConfig, make_app, make_http_server, server_url
from explorer.query.limits import QueryLimits
from explorer.store import open_store
server = make_http_server(make_app(open_store("oxigraph:"), EndpointConfig(limits=QueryLimits(isolation="thread"),
                                                                          max_concurrent=16)), "127.0.0.1", 0)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = server_url(server)
queries = json.loads(sys.argv[1])
statuses = []
def ask(q):
    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": q}), timeout=60) as r:
            statuses.append(r.status)
    except urllib.error.HTTPError as e:
        statuses.append(f"{e.code} {e.read()[:120]!r}")
threads = [threading.Thread(target=ask, args=(q,)) for q in queries]
[t.start() for t in threads]; [t.join() for t in threads]
print(json.dumps(statuses))
"""


def test_first_queries_of_a_process_arriving_together_are_all_answered():
    """pyparsing's first run of each parse action is not thread-safe: before the endpoint warmed
    the parser up, valid queries arriving together at a fresh process got 400 "malformed" or 500."""
    import subprocess
    import sys

    queries = [  # six texts the parser has not seen, so each is parsed afresh
        "SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 0) OPTIONAL { ?o ?q ?r } } LIMIT 1",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 1) OPTIONAL { ?o ?q ?r } } LIMIT 1",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 2) OPTIONAL { ?o ?q ?r } } LIMIT 1",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 3) OPTIONAL { ?o ?q ?r } } LIMIT 1",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 4) OPTIONAL { ?o ?q ?r } } LIMIT 1",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 5) OPTIONAL { ?o ?q ?r } } LIMIT 1",
    ]
    queries += ["ASK { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s",
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "SELECT ?s WHERE { ?s <http://x/p>+ ?o }"] * 3
    out = subprocess.run([sys.executable, "-c", FIRST_QUERIES_SCRIPT, json.dumps(queries)], capture_output=True,
                         text=True, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [200] * len(queries), out.stdout[-2000:]
