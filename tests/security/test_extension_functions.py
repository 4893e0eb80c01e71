"""Issue 11, high: functions outside SPARQL's standard set are refused for every store.

Through a ``sparql:`` store, Virtuoso's ``bif:http_get`` fetched from another server and
``bif:exec("SPARQL CLEAR GRAPH ...")`` erased the store through the read-only endpoint. The guard
now refuses any IRI in function-call position outside ``fn:`` (XPath) and ``xsd:`` (casts), and
Virtuoso's extension namespaces in any position; the Virtuoso test below also queries through a
read-only server account, as README and SECURITY.md ask.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.query.runner import run_query
from explorer.store import open_store
from tests.endpoint.http import get_query
from tests.security import live

ROOT = Path(__file__).resolve().parents[2]
POLICY_GRAPH = "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"

#: Function calls an engine would map to an extension; ``U`` is the recorder's URL.
EXTENSION_CALLS = {
    "bif-http-get": 'PREFIX bif: <bif:>\nSELECT (bif:http_get("U") AS ?x) WHERE { }',
    "bif-exec": f'PREFIX bif: <bif:>\nSELECT (bif:exec("SPARQL CLEAR GRAPH <{POLICY_GRAPH}>") AS ?x) WHERE {{ }}',
    "bif-full-iri": 'SELECT ?x WHERE { BIND(<bif:http_get>("U") AS ?x) }',
    "openlink-iri": 'SELECT ?x WHERE { BIND(<http://www.openlinksw.com/schemas/bif#http_get>("U") AS ?x) }',
    "sql-prefix": 'PREFIX sql: <sql:>\nSELECT ?x WHERE { BIND(sql:exec("U") AS ?x) }',
    "in-filter": 'PREFIX bif: <bif:>\nASK { FILTER(bif:http_get("U") != "") }',
    "in-order-by": 'PREFIX bif: <bif:>\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY bif:http_get("U") LIMIT 1',
    "as-aggregate": 'PREFIX e: <urn:x:>\nSELECT (e:agg(DISTINCT ?o) AS ?x) WHERE { ?s ?p ?o }',
    "any-other-iri": 'PREFIX e: <http://example.org/f#>\nSELECT ?x WHERE { BIND(e:fetch("U") AS ?x) }',
    "magic-predicate": 'PREFIX bif: <bif:>\nSELECT ?s WHERE { ?s ?p ?o . ?o bif:contains "U" }',
}
STANDARD_CALLS = [
    'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\nSELECT (xsd:integer("7") AS ?x) WHERE { }',
    'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\nSELECT ?x WHERE { BIND(xsd:string(1) AS ?x) }',
    'SELECT (STRLEN(UCASE("a")) AS ?x) (COUNT(*) AS ?n) WHERE { }',
]


def _aimed(text: str, url: str) -> str:
    return text.replace('"U"', f'"{url}"')


@pytest.mark.parametrize("name", sorted(EXTENSION_CALLS))
@pytest.mark.parametrize("store_url", ["memory:", "oxigraph:"])
def test_extension_functions_refused_by_cli(recorder, name, store_url):
    result = subprocess.run([sys.executable, "-m", "explorer.cli.main", "query", "--store", store_url,
                             "--text", _aimed(EXTENSION_CALLS[name], recorder.url)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout
    assert "refused" in result.stderr and "Traceback" not in result.stderr
    assert recorder.hits == []


@pytest.mark.parametrize("text", STANDARD_CALLS)
def test_standard_functions_still_run(text):
    answer = run_query(open_store("oxigraph:"), text)
    assert len(answer.rows) == 1


@pytest.fixture(scope="module")
def read_only_virtuoso(tmp_path_factory):
    with live.read_only_virtuoso(tmp_path_factory.mktemp("virtuoso-ro")) as server:
        yield server


@pytest.mark.virtuoso
def test_virtuoso_read_only_account_cannot_write(read_only_virtuoso, monkeypatch):
    for name, value in live.READER_ENV.items():
        monkeypatch.setenv(name, value)
    with open_store("sparql:" + read_only_virtuoso.auth_url) as store:
        assert POLICY_GRAPH in store.graph_iris()
        with pytest.raises(Exception):  # noqa: B017 - the server refuses, in its own words
            store.remove_graph(POLICY_GRAPH)
        assert POLICY_GRAPH in store.graph_iris()


@pytest.mark.virtuoso
@pytest.mark.parametrize("name", ["bif-http-get", "bif-exec", "bif-full-iri", "in-filter"])
def test_virtuoso_builtins_refused_through_the_endpoint(read_only_virtuoso, recorder, name):
    """The review's attack: a real endpoint process over a ``sparql:`` Virtuoso store, one GET."""
    with live.endpoint_process("--store", "sparql:" + read_only_virtuoso.auth_url, extra_env=live.READER_ENV) as served:
        reply = get_query(served.url, _aimed(EXTENSION_CALLS[name], recorder.url))
        assert reply.status == 400 and "refused" in reply.text, reply.text
        count = get_query(served.url, "ASK { GRAPH <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> "
                                      "{ ?s ?p ?o } }")
        assert count.status == 200 and json.loads(count.body)["boolean"] is True  # the graph is still there
    assert recorder.hits == []
