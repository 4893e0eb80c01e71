"""The sparql: store's union graph: queries over all graphs see each triple once (as on Oxigraph),
writes keep the union exact, and a store written without one gets it built on its first write."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace

from explorer.errors import StoreError
from explorer.store import open_store
from explorer.store.sparql_store import SparqlStore
from explorer.store.sparql_write import UNION_GRAPH, UNION_STATE_GRAPH, plan_replace
from tests.store.virtuoso import VirtuosoServer

pytestmark = pytest.mark.virtuoso

EX = Namespace("http://example.org/")
G1 = "https://w3id.org/policy-explorer/test/graph/union/1"
G2 = "https://w3id.org/policy-explorer/test/graph/union/2"
VALUES_QUERY = "PREFIX ex: <http://example.org/> SELECT ?s ?v WHERE { ?s ex:v ?v } ORDER BY ?s ?v"


def graph(*triples: tuple[str, str]) -> Graph:
    g = Graph()
    for subject, value in triples:
        g.add((EX[subject], EX.v, Literal(value)))
    return g


def rows(store: SparqlStore) -> list[tuple[str, str]]:
    return [(str(s).rsplit("/", 1)[-1], str(v)) for s, v in store.query(VALUES_QUERY)]  # type: ignore[misc]


def test_shared_triple_is_seen_once_and_stays_while_a_graph_holds_it(vstore: SparqlStore) -> None:
    vstore.replace_graph(G1, graph(("shared", "x"), ("one", "1")))
    vstore.replace_graph(G2, graph(("shared", "x"), ("two", "2")))
    assert rows(vstore) == [("one", "1"), ("shared", "x"), ("two", "2")]
    assert len(list(vstore.query(VALUES_QUERY, graphs=[G1, G2]))) == 4  # named graphs: one match per graph
    vstore.replace_graph(G1, graph(("one", "1 again")))
    assert rows(vstore) == [("one", "1 again"), ("shared", "x"), ("two", "2")]
    vstore.remove_graph(G2)
    assert rows(vstore) == [("one", "1 again")]
    assert vstore.stats() == {"graphs": 1, "triples": 1}


def test_failed_write_leaves_the_union_as_it_was(vstore: SparqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    vstore.replace_graph(G1, graph(("old", "o")))
    real_post = vstore._post

    def fail_on_swap(target: str, fields: list[tuple[str, str]], accept: str, what: str):  # type: ignore[no-untyped-def]
        if fields and fields[0][0] == "update" and "MOVE SILENT GRAPH" in fields[0][1]:
            raise StoreError("simulated: connection lost before the swap was sent")
        return real_post(target, fields, accept, what)

    monkeypatch.setattr(vstore, "_post", fail_on_swap)
    with pytest.raises(StoreError, match="final MOVE"):
        vstore.replace_graph(G1, graph(("new", "n")))
    monkeypatch.undo()
    assert rows(vstore) == [("old", "o")]
    assert vstore.temporary_graphs() == []


def test_union_is_built_for_a_store_written_without_one(virtuoso: VirtuosoServer, vstore: SparqlStore) -> None:
    """Graphs written by another tool (no union): queries still see them, and the first write
    builds the union from every graph."""
    for iri, content in ((G1, graph(("a", "1"))), (G2, graph(("b", "2"), ("a", "1")))):
        for text in plan_replace(iri, content, temp_iri=iri).inserts:
            vstore._update(text, "raw insert")
    vstore._update(f"DROP SILENT GRAPH <{UNION_STATE_GRAPH}> ; DROP SILENT GRAPH <{UNION_GRAPH}>", "forget the union")
    with open_store("sparql:" + virtuoso.sparql_url) as fresh:
        assert rows(fresh) == [("a", "1"), ("a", "1"), ("b", "2")]  # Virtuoso: one match per graph
        fresh.replace_graph(G2, graph(("b", "3")))
        assert rows(fresh) == [("a", "1"), ("b", "3")]
        assert fresh.graph_iris() == [G1, G2]
