"""Issue 11, critical: a bound value must never become query text.

On Oxigraph and ``sparql:`` stores values are written into the text as a VALUES block. A regex
that masked IRIs as ``<[^<>\\s]*>`` took ``<"a>`` for an IRI, so the block landed inside the
string literal ``"a>{"`` and the value's text ran: a ``SERVICE`` call to any server the machine
can reach, its reply returned to the caller. Each test here tried that for real (a process, HTTP,
a loopback server that records hits) and the recorder was hit before the fix.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from explorer.errors import QueryError
from explorer.query.runner import run_query
from explorer.sparql.values import inject_bindings, inject_value_rows
from explorer.store import open_store
from tests.endpoint.http import get_query, post_direct
from tests.security import live
from tests.security.live import SPLICE_TEMPLATE, endpoint_process, splice_query, splice_value


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explorer.cli.main", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("store_url", ["oxigraph:", "memory:"])
def test_param_value_cannot_become_a_service_call_cli(recorder, store_url):
    result = _cli("query", "--store", store_url, "--text", splice_query(), "--param",
                  "v=" + splice_value(recorder.url), "--format", "json")
    assert recorder.hits == []
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["head"]["vars"] == ["r", "q"]  # the query as written, nothing else


def test_header_default_cannot_become_a_service_call_endpoint(recorder, seed_store, tmp_path):
    """The endpoint honoured ``# param:`` defaults of ad hoc text: the attack was one GET."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    with endpoint_process("--store", f"oxigraph:{copy}") as served:
        for reply in (get_query(served.url, splice_query(recorder.url)),
                      post_direct(served.url, splice_query(recorder.url))):
            assert reply.status in (200, 400), reply.text
            assert "SERVICE" not in reply.text or reply.status == 400
            assert "rdf-syntax" not in reply.text  # no row fetched from elsewhere
    assert recorder.hits == []


#: Templates where a structure-blind search finds the wrong ``{`` (in a string, an IRI-like
#: comparison, a comment, an escaped name, a long string, an EXISTS in the projection), each with
#: the value that would escape if it landed there.
TRICKY_TEMPLATES = [
    SPLICE_TEMPLATE,
    "SELECT ?r ('''{''' AS ?q) WHERE { ?s ?p ?o }",
    'SELECT ?r ("""a\n{""" AS ?q) WHERE { ?s ?p ?o }',
    "SELECT ?r # {\nWHERE { ?s ?p ?o }",
    "PREFIX e: <urn:e:>\nSELECT ?r (e:a\\#b AS ?q) WHERE { ?s ?p ?o }",
    "SELECT ?r (EXISTS { ?s ?p ?o } AS ?q) WHERE { ?s ?p ?o }",
    "SELECT ?r (1<'a>{' AS ?q) WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s <urn:x:p> \"{\" } WHERE { ?s ?p ?o }",
]
HOSTILE_VALUES = ['x" ) } SERVICE <U> { ?r ?p ?o } #', "x' ) } SERVICE <U> { ?r ?p ?o } #",
                  " AS ?z) WHERE { SERVICE <U> { ?r ?p ?o } } #", 'a"""\n} SERVICE <U> { ?a ?b ?c }\n#',
                  '\\" } SERVICE <U> { ?a ?b ?c } #', "\r} SERVICE <U> { ?a ?b ?c }"]


@pytest.mark.parametrize("template", TRICKY_TEMPLATES)
def test_values_land_in_the_where_group_or_nowhere(recorder, template):
    """Every hostile value on every tricky template, through an Oxigraph store (text is built):
    the value stays the value of ?r, and nothing is called."""
    ox = open_store("oxigraph:")
    one = Graph()
    one.add((URIRef("urn:x:s"), URIRef("urn:x:p"), URIRef("urn:x:o")))  # so the patterns match
    ox.replace_graph("urn:x:g", one)
    query = "# param: r (string)\n" + template
    for value in HOSTILE_VALUES:
        value = value.replace("<U>", f"<{recorder.url}>")
        try:
            got = run_query(ox, query, {"r": value})
        except QueryError as exc:  # refusing is fine; running anything else is not
            assert "refused" in str(exc) or "could not be placed" in str(exc), exc
            continue
        # one triple in the store, so one solution whose bound column ?r is the value itself
        if got.kind == "graph":
            assert got.graph is not None and len(got.graph) == 1
        else:
            assert [row[0] for row in got.rows] == [Literal(value)], (template, value)
    assert recorder.hits == []


def test_final_text_is_checked_by_the_guard():
    """Even a placement bug could not reach the engine: the built text passes the guard again and
    must hold exactly the VALUES block that was written."""
    text = inject_bindings(SPLICE_TEMPLATE, {"v": Literal('x" } ; DROP ALL #')})
    assert 'VALUES (?v) { ("x\\" } ; DROP ALL #") }' in text
    with pytest.raises(QueryError, match="refused|malformed"):
        inject_bindings("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", {"v": Literal("x")})
    with pytest.raises(QueryError):
        inject_bindings("SELECT * WHERE { ?s ?p ?o }", {"v": URIRef("urn:a> } DROP ALL <urn:b")})


HOSTILE = ['x" } ; DROP ALL #', "a\\u0022b", "\\", 'x"^^<urn:t> ) } SERVICE <http://127.0.0.1:9/> {',
           "line\r\nbreak\rcr", "# not a comment", "\u00e9\u4e2d\U0001f600", "\x00\x01", ""]


@given(st.lists(st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE)), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_page_text_holds_its_values_as_the_guard_reads_them(values: list[str]) -> None:
    """A listing's page is not parsed again (explorer/sparql/values.py): its text, built from the
    guard-approved listing and a block checked token by token, must be one the guard accepts, whose
    parse holds exactly these values, or be refused."""
    from explorer.query.catalog import load_catalog
    from explorer.sparql.guard import check_read_only_tree
    from explorer.sparql.values import _require_block, _values_text

    listing = load_catalog()["references"].text
    terms = tuple(Literal(v) for v in values)
    try:
        text = inject_value_rows(listing, "policy", terms)
    except QueryError:
        return  # refused: nothing reaches the engine
    _, tree = check_read_only_tree(text)
    _require_block(tree, ("policy",), tuple((t,) for t in terms))
    assert text.replace(" " + _values_text(("policy",), tuple((t,) for t in terms)) + " ", "", 1) == listing


def test_a_page_text_refuses_what_the_guard_refuses() -> None:
    with pytest.raises(QueryError, match="u0022|escape|VALUES"):
        inject_value_rows("SELECT ?policy WHERE { ?p <urn:n> ?policy }", "policy", [Literal("a\\u0022b")])
    with pytest.raises(QueryError, match="refused|malformed"):
        inject_value_rows("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "s", [Literal("x")])
    with pytest.raises(QueryError):
        inject_value_rows("SELECT * WHERE { ?s ?p ?o }", "s", [URIRef("urn:a> } DROP ALL <urn:b")])


@pytest.fixture(scope="module")
def read_only_virtuoso(tmp_path_factory):
    with live.read_only_virtuoso(tmp_path_factory.mktemp("virtuoso-splice")) as server:
        yield server


@pytest.mark.virtuoso
def test_param_value_cannot_become_a_service_call_on_virtuoso(read_only_virtuoso, recorder):
    """The ``sparql:`` store must build text (a SPARQL server has no binding parameter): the same
    attack, through the CLI, against a real Virtuoso queried with a read-only account."""
    import os

    env = {**os.environ, **live.READER_ENV}
    result = subprocess.run([sys.executable, "-m", "explorer.cli.main", "query", "--store",
                             "sparql:" + read_only_virtuoso.auth_url, "--text", splice_query(), "--param",
                             "v=" + splice_value(recorder.url), "--format", "json"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert recorder.hits == []
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["head"]["vars"] == ["r", "q"]
