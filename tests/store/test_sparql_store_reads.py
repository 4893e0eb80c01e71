"""sparql: store reads on a real Virtuoso: no silently truncated SELECT (ResultSetMaxRows), queries
scoped to the store's graphs (never Virtuoso's system graphs), literals read back as written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import XSD

from explorer.errors import QueryError
from explorer.query.limits import QueryLimits
from explorer.query.runner import run_query
from explorer.store.sparql_store import SparqlStore
from tests.store.virtuoso import VirtuosoServer

pytestmark = pytest.mark.virtuoso

EX = Namespace("http://example.org/")
G = "https://w3id.org/policy-explorer/test/graph/reads"
CAP = 50  # ResultSetMaxRows of these tests; the query texts below spell it out
ROWS = 120
MANY = 130
PREFIX = "PREFIX ex: <http://example.org/> "


@pytest.fixture
def numbered(vstore: SparqlStore) -> SparqlStore:
    graph = Graph()
    for i in range(ROWS):
        graph.add((EX[f"s{i:03d}"], EX.n, Literal(i)))
    vstore.replace_graph(G, graph)
    return vstore


@pytest.fixture
def small_cap(virtuoso: VirtuosoServer) -> Iterator[None]:
    with virtuoso.sparql_setting("ResultSetMaxRows", str(CAP)):
        yield


def subjects(result: object) -> list[str]:
    return [str(row[0]) for row in result]  # type: ignore[attr-defined]


def test_server_cap_is_real(numbered: SparqlStore, small_cap: None) -> None:
    """Without paging Virtuoso would answer CAP rows: the raw answer carries X-SPARQL-MaxRows."""
    answer = numbered._post(
        numbered.endpoint,
        [("query", "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")],
        "application/sparql-results+json",
        "probe",
    )
    assert answer.headers.get("X-SPARQL-MaxRows") == str(CAP)
    assert answer.body.count(b'"type": "uri"') == CAP


def test_select_past_the_server_cap_is_paged(numbered: SparqlStore, small_cap: None) -> None:
    rows = subjects(numbered.query(PREFIX + "SELECT ?s WHERE { ?s ex:n ?n }"))
    assert len(rows) == ROWS and len(set(rows)) == ROWS
    ordered = subjects(numbered.query(PREFIX + "SELECT ?s WHERE { ?s ex:n ?n } ORDER BY DESC(?n)"))
    assert ordered == [str(EX[f"s{i:03d}"]) for i in reversed(range(ROWS))]


def test_query_runner_sees_all_rows_or_says_truncated(numbered: SparqlStore, small_cap: None) -> None:
    text = PREFIX + "SELECT ?s ?n WHERE { ?s ex:n ?n }"
    whole = run_query(numbered, text)
    assert len(whole.rows) == ROWS and not whole.truncated
    cut = run_query(numbered, text, limits=QueryLimits(max_rows=ROWS - 1))
    assert cut.truncated


def test_own_limit_within_the_cap_is_answered(numbered: SparqlStore, small_cap: None) -> None:
    assert len(subjects(numbered.query(PREFIX + "SELECT ?s WHERE { ?s ex:n ?n } LIMIT 10"))) == 10
    assert len(subjects(numbered.query(PREFIX + "SELECT ?s WHERE { ?s ex:n ?n } LIMIT 50"))) == CAP


@pytest.mark.parametrize(
    "tail",
    ["LIMIT 80", "ORDER BY ?s OFFSET 5", "VALUES ?p { ex:n }"],  # 80: above CAP
    ids=["own-limit-above-cap", "own-offset", "trailing-values"],
)
def test_cut_answer_that_cannot_be_paged_raises(numbered: SparqlStore, small_cap: None, tail: str) -> None:
    with pytest.raises(QueryError, match=f"first {CAP} rows .*ResultSetMaxRows"):
        numbered.query(PREFIX + "SELECT ?s ?p WHERE { ?s ?p ?n } " + tail)


def test_many_graphs_past_the_cap(vstore: SparqlStore, small_cap: None) -> None:
    """More graphs than the row cap, and than the 100 response headers Python accepts: Virtuoso
    echoes each default-graph-uri parameter as a header, so the store names graphs in the text."""
    names = [f"{G}/{i:03d}" for i in range(MANY)]
    for name in names:
        graph = Graph()
        graph.add((EX[name[-3:]], EX.n, Literal(1)))
        vstore.replace_graph(name, graph)
    assert vstore.graph_iris() == names
    assert vstore.stats() == {"graphs": MANY, "triples": MANY}
    query = PREFIX + "SELECT ?s WHERE { ?s ex:n 1 }"
    assert len(subjects(vstore.query(query))) == MANY
    assert len(subjects(vstore.query(query, graphs=names))) == MANY
    assert subjects(vstore.query(query, graphs=names[:1])) == [str(EX["000"])]


def test_queries_never_see_virtuoso_system_graphs(vstore: SparqlStore) -> None:
    system = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }"
    assert int(next(iter(vstore._run(system, None)))[0]) > 0  # type: ignore[index]
    assert vstore.query("ASK { ?s ?p ?o }").askAnswer is False
    graph = Graph()
    graph.add((EX.a, EX.n, Literal(1)))
    vstore.replace_graph(G, graph)
    assert [row[0] for row in vstore.query("SELECT ?s WHERE { ?s ?p ?o }")] == [EX.a]


def test_typed_literals_read_back_as_written(vstore: SparqlStore) -> None:
    """Virtuoso's JSON writes booleans as 1/0 and its Turtle writes 60.0 as an integer."""
    graph = Graph()
    graph.add((EX.a, EX.flag, Literal(True)))
    graph.add((EX.a, EX.value, Literal("60", datatype=XSD.decimal)))
    vstore.replace_graph(G, graph)
    row = next(iter(vstore.query(PREFIX + "SELECT ?flag ?value WHERE { ?a ex:flag ?flag ; ex:value ?value }")))
    assert [(str(t), t.datatype) for t in row] == [("true", XSD.boolean), ("60", XSD.decimal)]  # type: ignore[union-attr]
    assert set(vstore.get_graph(G)) == set(graph)


def test_long_literals_sort_by_their_text_under_str(vstore: SparqlStore) -> None:
    """Virtuoso 7.2 orders long literals that share a long prefix by something else under
    ``ORDER BY ?v``; ``ORDER BY STR(?v)`` (the same order on every store) sorts by the text."""
    prefix = "as consolidation therapy for "
    words = ["zeta", "alpha", "mid"]
    graph = Graph()
    for i, word in enumerate(words):
        graph.add((EX[f"s{i}"], EX.v, Literal(prefix + word + " in first remission")))
    vstore.replace_graph(G, graph)
    ordered = vstore.query(PREFIX + "SELECT ?v WHERE { ?s ex:v ?v } ORDER BY STR(?v)")
    assert [str(row[0])[len(prefix) :].split()[0] for row in ordered] == sorted(words)  # type: ignore[index]
