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
from tests.security.conftest import quads, snapshot, stats

UPDATES = {
    "insert-data": "INSERT DATA { GRAPH <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> "
                   "{ <https://w3id.org/policy-explorer/id/policy/bcbsma/338> <urn:x:p> 'pwned' } }",
    "delete-data": "DELETE DATA { GRAPH <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> "
                   "{ <https://w3id.org/policy-explorer/id/policy/bcbsma/338> <urn:x:p> 'pwned' } }",
    "delete-where": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "delete-insert-where": "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 'x' } } "
                           "WHERE { GRAPH ?g { ?s ?p ?o } }",
    "with-modify": "WITH <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> DELETE { ?s ?p ?o } "
                   "WHERE { ?s ?p ?o }",
    "insert-where": "INSERT { GRAPH <urn:x:new> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
    "load": "LOAD <http://127.0.0.1:9/evil.ttl> INTO GRAPH <urn:x:new>",
    "load-file": "LOAD <file:///etc/passwd>",
    "clear-all": "CLEAR ALL",
    "clear-graph": "CLEAR GRAPH <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph>",
    "drop-all": "DROP ALL",
    "drop-silent-graph": "DROP SILENT GRAPH <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph>",
    "create": "CREATE GRAPH <urn:x:new>",
    "add": "ADD <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> TO <urn:x:new>",
    "move": "MOVE <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> TO <urn:x:new>",
    "copy": "COPY <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> TO DEFAULT",
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
    return url, snapshot(url), quads(url)


def _unchanged(module_store) -> None:
    """Every quad of the store is as it was before the attack (compared inside each test)."""
    url, before, every_quad = module_store
    assert stats(url) == before[1]
    assert quads(url) == every_quad


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_update_refused_by_cli(module_store, name):
    url, *_ = module_store
    result = run("query", "--text", UPDATES[name], store=url)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "refused" in result.stderr or "malformed SPARQL" in result.stderr
    assert "Traceback" not in result.stderr
    _unchanged(module_store)


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_update_refused_by_api(module_store, name):
    url, (_, stats_before), _quads = module_store
    with open_store(url) as store:
        with pytest.raises(QueryError, match="refused|malformed"):
            run_query(store, UPDATES[name])
        assert store.stats() == stats_before  # read through the handle the attack used
    _unchanged(module_store)


def test_update_refusal_names_the_form(module_store):
    url, *_ = module_store
    for text, form in (("DROP ALL", "DROP"), ("LOAD <urn:x:a>", "LOAD"), ("MOVE DEFAULT TO <urn:x:b>", "MOVE"),
                       ("INSERT DATA { <urn:x:a> <urn:x:b> 1 }", "INSERT DATA")):
        result = run("query", "--text", text, store=url)
        assert f"SPARQL Update ({form})" in result.stderr
    _unchanged(module_store)


def test_update_in_a_query_file_is_refused(module_store, tmp_path):
    url, *_ = module_store
    path = tmp_path / "evil.rq"
    path.write_text("# title: looks like a catalog query\nDROP ALL\n", encoding="utf-8")
    result = run("query", "--file", str(path), store=url)
    assert result.exit_code == 2 and "refused" in result.stderr
    _unchanged(module_store)


#: The attack texts name a stand-in endpoint; ``aimed_at`` points them at the recorder's real
#: (random) loopback port. The texts are hostile input by design, not queries the library builds.
RECORDER = "http://recorder.invalid/"

SERVICE_FORMS = [
    "SELECT * WHERE { SERVICE <http://recorder.invalid/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://recorder.invalid/> { ?s ?q ?r } } } LIMIT 1",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://recorder.invalid/> { ?s ?p ?o } } }",
    "ASK { FILTER EXISTS { SERVICE <http://recorder.invalid/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://recorder.invalid/> { ?s ?p ?o } } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { SERVICE <http://recorder.invalid/sparql> { ?s ?p ?o } } }",
    "select * where { service <http://recorder.invalid/> { ?s ?p ?o } }",
    "SELECT * FROM <http://recorder.invalid/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://recorder.invalid/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
]


def aimed_at(recorder, attack: str) -> str:
    assert attack.count(RECORDER) >= 1
    return attack.replace(RECORDER, recorder.url)


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_service_and_from_never_reach_the_network(module_store, recorder, form):
    url, *_ = module_store
    text = aimed_at(recorder, form)
    result = run("query", "--text", text, store=url)
    assert result.exit_code == 2 and "refused" in result.stderr
    with open_store(url) as store:
        with pytest.raises(QueryError, match="refused"):
            run_query(store, text)
        with pytest.raises(QueryError, match="refused"):
            run_query(store, text, limits=QueryLimits(isolation="process"))
    assert recorder.hits == []
    _unchanged(module_store)


HIDDEN_SERVICE = {
    "cr": "SELECT ?a WHERE { #\rSERVICE <http://recorder.invalid/sparql> { ?x ?y ?a }\n}",
    "cr-cr-lf": "SELECT ?a WHERE { #\r\r\nSERVICE <http://recorder.invalid/sparql> { ?x ?y ?a }\n}",
    "lf-cr": "SELECT ?a WHERE { #\n\rSERVICE <http://recorder.invalid/sparql> { ?x ?y ?a }\n}",
}


@pytest.mark.parametrize("ending", sorted(HIDDEN_SERVICE))
def test_bare_carriage_return_cannot_hide_service(recorder, ending):
    """Regression: rdflib ends a # comment at LF only, Oxigraph (as SPARQL says) at CR too, so
    ``#<CR>SERVICE <...>`` passed the guard as a comment and Oxigraph then called the server."""
    text = aimed_at(recorder, HIDDEN_SERVICE[ending])
    store = open_store("memory:")
    for limits in (QueryLimits(), QueryLimits(isolation="process")):
        with pytest.raises(QueryError, match="refused"):
            run_query(store, text, limits=limits)
    assert recorder.hits == []


def test_crlf_line_ends_still_accepted(module_store):
    url, *_ = module_store
    with open_store(url) as store:
        answer = run_query(store, "# a comment\r\nSELECT ?s\r\nWHERE { ?s ?p ?o } # end\r\nLIMIT 2\r\n")
    assert len(answer.rows) == 2
    _unchanged(module_store)


def test_service_variable_endpoint_is_refused(module_store, recorder):
    url, *_ = module_store
    text = aimed_at(recorder, "SELECT * WHERE { BIND(<http://recorder.invalid/> AS ?e) SERVICE ?e { ?s ?p ?o } }")
    with open_store(url) as store, pytest.raises(QueryError, match="SERVICE"):
        run_query(store, text)
    assert recorder.hits == []
    _unchanged(module_store)


RUNAWAY = {
    "deep-property-path": "SELECT * WHERE { ?s (<urn:x:p>|!<urn:x:p>)* ?o }",
    "cartesian-4": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
}
GRACE_S = 15.0  # a guard against hanging, not a benchmark


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_query_stopped_by_cli_time_limit(module_store, name):
    url, *_ = module_store
    started = time.monotonic()
    # a real process, as users run it (an in-process run would leave the stopped engine's thread
    # holding the on-disk store's lock until it next yields a row)
    result = subprocess.run(
        [sys.executable, "-c", "from explorer.cli.main import cli; cli()", "query", "--text", RUNAWAY[name],
         "--timeout", "0.5", "--max-rows", "100000000", "--store", url],
        capture_output=True, text=True, timeout=GRACE_S + 10)
    assert time.monotonic() - started < GRACE_S
    assert result.returncode == 2
    assert "exceeded the time limit of 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr
    _unchanged(module_store)


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_query_stopped_in_process_isolation(module_store, name):
    url, *_ = module_store
    limits = QueryLimits(timeout_s=0.5, max_rows=100_000_000, isolation="process")
    started = time.monotonic()
    with open_store(url) as store, pytest.raises(QueryError, match="time limit of 0.5 s"):
        run_query(store, RUNAWAY[name], limits=limits)
    assert time.monotonic() - started < GRACE_S
    _unchanged(module_store)


def test_huge_result_cut_by_row_limit(module_store):
    url, *_ = module_store
    result = run("query", "--text", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--max-rows", "7", "--format", "json",
                 store=url)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 7
    assert "result cut at 7 rows" in result.stderr
    _unchanged(module_store)


def test_huge_construct_cut_by_row_limit(module_store):
    url, *_ = module_store
    with open_store(url) as store:
        answer = run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=11))
    assert answer.truncated and answer.graph is not None and len(answer.graph) == 11
    _unchanged(module_store)


def test_row_limit_bounds_the_work_of_a_huge_oxigraph_result(module_store):
    """Ten rows of a 21-million-row product (4,608 triples squared) should take milliseconds, not the
    whole time limit."""
    url, *_ = module_store
    limits = QueryLimits(timeout_s=1, max_rows=10, isolation="process")
    with open_store(url) as store:
        answer = run_query(store, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", limits=limits)
    assert answer.truncated and len(answer.rows) == 10
    _unchanged(module_store)


INJECTIONS = ['"> } ; DROP ALL #', "' } ; DROP ALL #", '338" } } ; CLEAR ALL ; SELECT * { "',
              "338\n} DROP ALL", "\\\" ) } DROP ALL #", "<urn:x:a> } ; LOAD <http://127.0.0.1:9/> #"]


#: (catalog query, parameter): a string compared with a literal, a disease label, a product label
#: and a care setting slug.
PARAMETERS = (("references", "policy"), ("evidence-for-disease", "disease"), ("prior-authorization", "product"),
              ("prior-authorization", "setting"))


def test_parameter_value_is_only_a_value_cli(module_store):
    """Every hostile value through ``--param`` (each parameter gets several); the API test below
    binds every value to every parameter on the same store."""
    url, *_ = module_store
    for value, (name, param) in zip(INJECTIONS, itertools.cycle(PARAMETERS)):
        result = run("query", name, "--param", f"{param}={value}", "--format", "json", store=url)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["results"]["bindings"] == []
    _unchanged(module_store)


def test_parameter_value_is_only_a_value_api(module_store):
    url, (_, stats_before), _quads = module_store
    with open_store(url) as store:
        for value, (name, param) in itertools.product(INJECTIONS, PARAMETERS):
            assert explorer.run_named_query(store, name, **{param: value}).rows == (), (name, param, value)
        # the same query with the real value does find rows: the binding is really applied
        assert explorer.run_named_query(store, "references", policy="338").rows
        assert store.stats() == stats_before
    _unchanged(module_store)


def test_zz_every_quad_unchanged_after_all_attacks(module_store):
    """Runs last in this module: the full N-Quads export (all graphs) is byte-identical."""
    url, before, _quads = module_store
    assert snapshot(url) == before
