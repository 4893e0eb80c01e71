"""Hostile SPARQL through the CLI (`query --text`) and the Python API (`run_query`,
`explorer.run_named_query`): every Update form, SERVICE / FROM reaching out to a real loopback
server, queries that never end, huge results, and values trying to break out of their binding.
After each attack the store is exactly as before (all quads and the stats)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time

import pytest

import explorer
from explorer.errors import QueryError
from explorer.query.limits import QueryLimits
from explorer.query.runner import run_query
from explorer.store import open_store
from tests.cliutil import run
from tests.security.conftest import snapshot, stats

G = "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"
S = "<https://w3id.org/policy-explorer/id/policy/bcbsma/338>"

UPDATES = {
    "insert-data": f"INSERT DATA {{ GRAPH <{G}> {{ {S} <urn:x:p> 'pwned' }} }}",
    "delete-data": f"DELETE DATA {{ GRAPH <{G}> {{ {S} <urn:x:p> 'pwned' }} }}",
    "delete-where": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "delete-insert-where": "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 'x' } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "with-modify": f"WITH <{G}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "insert-where": "INSERT { GRAPH <urn:x:new> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
    "load": "LOAD <http://127.0.0.1:9/evil.ttl> INTO GRAPH <urn:x:new>",
    "load-file": "LOAD <file:///etc/passwd>",
    "clear-all": "CLEAR ALL",
    "clear-graph": f"CLEAR GRAPH <{G}>",
    "drop-all": "DROP ALL",
    "drop-silent-graph": f"DROP SILENT GRAPH <{G}>",
    "create": "CREATE GRAPH <urn:x:new>",
    "add": f"ADD <{G}> TO <urn:x:new>",
    "move": f"MOVE <{G}> TO <urn:x:new>",
    "copy": f"COPY <{G}> TO DEFAULT",
    "prefixed": "PREFIX pol: <https://w3id.org/policy-explorer/ontology#>\nPREFIX x: <urn:x:>\n"
                "INSERT DATA { x:s pol:title 'pwned' }",
    "commented": "# a harmless looking comment\nSELECT ?s # not really\n\nDROP ALL",
    "lower-case": "drop all",
    "mixed-case": "cLeAr DeFaUlT",
    "two-updates": "CLEAR ALL ; DROP ALL",
    "smuggled-after-select": "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "smuggled-after-ask": "ASK { ?s ?p ?o } ; INSERT DATA { <urn:x:s> <urn:x:p> 1 }",
    "smuggled-in-comment-newline": "SELECT * WHERE { ?s ?p ?o }\n#\rDROP ALL",
    "unicode-escaped-keyword": "SELECT * WHERE { ?s ?p ?o } \\u003B DROP ALL",
}


@pytest.fixture(scope="module")
def module_store(seed_store, tmp_path_factory):
    import shutil

    copy = tmp_path_factory.mktemp("attacks") / "store"
    shutil.copytree(seed_store, copy)
    url = f"oxigraph:{copy}"
    return url, snapshot(url)


def _unchanged(module_store) -> None:
    url, before = module_store
    assert stats(url) == before[1]


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_update_refused_by_cli(module_store, name):
    url, _ = module_store
    result = run("query", "--text", UPDATES[name], store=url)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "refused" in result.stderr or "malformed SPARQL" in result.stderr
    assert "Traceback" not in result.stderr
    _unchanged(module_store)


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_update_refused_by_api(module_store, name):
    url, _ = module_store
    with open_store(url) as store, pytest.raises(QueryError, match="refused|malformed"):
        run_query(store, UPDATES[name])
    _unchanged(module_store)


def test_update_refusal_names_the_form(module_store):
    url, _ = module_store
    for text, form in (("DROP ALL", "DROP"), ("LOAD <urn:x:a>", "LOAD"), ("MOVE DEFAULT TO <urn:x:b>", "MOVE"),
                       ("INSERT DATA { <urn:x:a> <urn:x:b> 1 }", "INSERT DATA")):
        result = run("query", "--text", text, store=url)
        assert f"SPARQL Update ({form})" in result.stderr


def test_update_in_a_query_file_is_refused(module_store, tmp_path):
    url, _ = module_store
    path = tmp_path / "evil.rq"
    path.write_text("# title: looks like a catalog query\nDROP ALL\n", encoding="utf-8")
    result = run("query", "--file", str(path), store=url)
    assert result.exit_code == 2 and "refused" in result.stderr
    _unchanged(module_store)


SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{u}> {{ ?s ?q ?r }} }} }} LIMIT 1",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ SERVICE <{u}sparql> {{ ?s ?p ?o }} }} }}",
    "select * where {{ service <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{u}data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{u}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_service_and_from_never_reach_the_network(module_store, recorder, form):
    url, _ = module_store
    text = form.format(u=recorder.url)
    result = run("query", "--text", text, store=url)
    assert result.exit_code == 2 and "refused" in result.stderr
    with open_store(url) as store:
        with pytest.raises(QueryError, match="refused"):
            run_query(store, text)
        with pytest.raises(QueryError, match="refused"):
            run_query(store, text, limits=QueryLimits(isolation="process"))
    assert recorder.hits == []


@pytest.mark.parametrize("ending", ["\r", "\r\r\n", "\n\r"])
def test_bare_carriage_return_cannot_hide_service(recorder, ending):
    """Regression: rdflib ends a # comment at LF only, Oxigraph (as SPARQL says) at CR too, so
    ``#<CR>SERVICE <...>`` passed the guard as a comment and Oxigraph then called the server."""
    text = f"SELECT ?a WHERE {{ #{ending}SERVICE <{recorder.url}sparql> {{ ?x ?y ?a }}\n}}"
    store = open_store("memory:")
    for limits in (QueryLimits(), QueryLimits(isolation="process")):
        with pytest.raises(QueryError, match="refused"):
            run_query(store, text, limits=limits)
    assert recorder.hits == []


def test_crlf_line_ends_still_accepted(module_store):
    url, _ = module_store
    with open_store(url) as store:
        answer = run_query(store, "# a comment\r\nSELECT ?s\r\nWHERE { ?s ?p ?o } # end\r\nLIMIT 2\r\n")
    assert len(answer.rows) == 2


def test_service_variable_endpoint_is_refused(module_store, recorder):
    url, _ = module_store
    text = f"SELECT * WHERE {{ BIND(<{recorder.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"
    with open_store(url) as store, pytest.raises(QueryError, match="SERVICE"):
        run_query(store, text)
    assert recorder.hits == []


RUNAWAY = {
    "deep-property-path": "SELECT * WHERE { ?s (<urn:x:p>|!<urn:x:p>)* ?o }",
    "cartesian-4": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
}
GRACE_S = 15.0  # a guard against hanging, not a benchmark


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_query_stopped_by_cli_time_limit(module_store, name):
    url, _ = module_store
    started = time.monotonic()
    # a real process, as users run it (an in-process run would leave the stopped engine's thread
    # holding the on-disk store's lock until it next yields a row)
    result = subprocess.run(
        [sys.executable, "-c", "from explorer.cli.main import cli; cli()", "query", "--text", RUNAWAY[name],
         "--timeout", "1", "--max-rows", "100000000", "--store", url],
        capture_output=True, text=True, timeout=1 + GRACE_S + 10)
    assert time.monotonic() - started < 1 + GRACE_S
    assert result.returncode == 2
    assert "exceeded the time limit of 1 s" in result.stderr
    assert "Traceback" not in result.stderr
    _unchanged(module_store)


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_query_stopped_in_process_isolation(module_store, name):
    url, _ = module_store
    limits = QueryLimits(timeout_s=1, max_rows=100_000_000, isolation="process")
    started = time.monotonic()
    with open_store(url) as store, pytest.raises(QueryError, match="time limit"):
        run_query(store, RUNAWAY[name], limits=limits)
    assert time.monotonic() - started < 1 + GRACE_S


def test_huge_result_cut_by_row_limit(module_store):
    url, _ = module_store
    result = run("query", "--text", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--max-rows", "7", "--format", "json",
                 store=url)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 7
    assert "result cut at 7 rows" in result.stderr


def test_huge_construct_cut_by_row_limit(module_store):
    url, _ = module_store
    with open_store(url) as store:
        answer = run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=11))
    assert answer.truncated and answer.graph is not None and len(answer.graph) == 11


INJECTIONS = ['"> } ; DROP ALL #', "' } ; DROP ALL #", '338" } } ; CLEAR ALL ; SELECT * { "',
              "338\n} DROP ALL", "\\\" ) } DROP ALL #", "<urn:x:a> } ; LOAD <http://127.0.0.1:9/> #"]


def test_parameter_value_is_only_a_value_cli(module_store):
    url, _ = module_store
    for value, (name, param) in itertools.product(INJECTIONS,  (("references", "policy"), ("evidence-for-disease", "disease"),
                        ("prior-authorization", "product"))):
        result = run("query", name, "--param", f"{param}={value}", "--format", "json", store=url)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["results"]["bindings"] == []
    _unchanged(module_store)


def test_parameter_value_is_only_a_value_api(module_store):
    url, _ = module_store
    with open_store(url) as store:
        for value in INJECTIONS:
            assert explorer.run_named_query(store, "references", policy=value).rows == ()
            assert explorer.run_named_query(store, "prior-authorization", setting=value).rows == ()
        # the same query with the real value does find rows: the binding is really applied
        assert explorer.run_named_query(store, "references", policy="338").rows
    _unchanged(module_store)


def test_zz_every_quad_unchanged_after_all_attacks(module_store):
    """Runs last in this module: the full N-Quads export (all graphs) is byte-identical."""
    url, before = module_store
    assert snapshot(url) == before
