"""Every backend behaves the same: graphs round-trip, replace atomically, and answer queries."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from explorer.errors import StoreError
from explorer.store import PolicyStore

EX = Namespace("http://example.org/")
G1 = "https://w3id.org/policy-explorer/test/graph/1"
G2 = "https://w3id.org/policy-explorer/test/graph/2"


def rich_graph() -> Graph:
    """Language tags, typed literals, plain strings and blank nodes."""
    g = Graph()
    g.add((EX.policy, RDF.type, EX.Policy))
    g.add((EX.policy, EX.title, Literal("Donor Lymphocyte Infusion", lang="en-US")))
    g.add((EX.policy, EX.titre, Literal("Perfusion de lymphocytes", lang="fr")))
    g.add((EX.policy, EX.effective, Literal("2024-03-01", datatype=XSD.date)))
    g.add((EX.policy, EX.active, Literal(True)))
    g.add((EX.policy, EX.number, Literal(338)))
    g.add((EX.policy, EX.note, Literal('quote " backslash \\ newline\n tab\t é')))
    criterion = BNode()
    g.add((EX.policy, EX.criterion, criterion))
    g.add((criterion, EX.label, Literal("relapse")))
    g.add((criterion, EX.next, BNode()))
    return g


def lowercase_langs(graph: Graph) -> Graph:
    """Language tags are case-insensitive; Oxigraph stores them lowercased, rdflib hashes them as given."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def small_graph(name: str) -> Graph:
    g = Graph()
    g.add((EX[name], RDF.type, EX.Policy))
    g.add((EX[name], EX.title, Literal(f"title {name}", lang="en")))
    return g


def test_get_graph_round_trips_literals_and_blank_nodes(store: PolicyStore) -> None:
    original = rich_graph()
    store.replace_graph(G1, original)
    assert isomorphic(lowercase_langs(store.get_graph(G1)), lowercase_langs(original))


def test_replace_graph_replaces_and_leaves_other_graphs(store: PolicyStore) -> None:
    store.replace_graph(G1, small_graph("a"))
    store.replace_graph(G2, small_graph("b"))
    store.replace_graph(G1, small_graph("c"))
    assert isomorphic(store.get_graph(G1), small_graph("c"))
    assert isomorphic(store.get_graph(G2), small_graph("b"))
    assert store.graph_iris() == sorted([G1, G2])
    assert store.stats() == {"graphs": 2, "triples": 4}


def test_remove_graph(store: PolicyStore) -> None:
    store.replace_graph(G1, small_graph("a"))
    store.replace_graph(G2, small_graph("b"))
    store.remove_graph(G1)
    store.remove_graph("http://example.org/never-existed")
    assert store.graph_iris() == [G2]
    assert len(store.get_graph(G1)) == 0


def test_select_with_language_tagged_binding(store: PolicyStore) -> None:
    store.replace_graph(G1, rich_graph())
    store.replace_graph(G2, small_graph("b"))
    query = "PREFIX ex: <http://example.org/> SELECT ?p WHERE { ?p ex:title ?title }"
    result = store.query(query, bindings={"title": Literal("title b", lang="en")})
    assert result.type == "SELECT"
    assert result.vars == [Variable("p")]
    assert [row["p"] for row in result] == [EX.b]
    wrong_lang = store.query(query, bindings={"title": Literal("title b", lang="de")})
    assert list(wrong_lang) == []


def test_select_with_iri_binding_and_unbound_optional(store: PolicyStore) -> None:
    store.replace_graph(G1, rich_graph())
    query = (
        "PREFIX ex: <http://example.org/> "
        "SELECT ?n ?missing WHERE { ?p ex:number ?n OPTIONAL { ?p ex:nothing ?missing } }"
    )
    rows = [row.asdict() for row in store.query(query, bindings={"p": EX.policy})]
    assert rows == [{"n": Literal(338)}]
    assert list(store.query(query, bindings={"p": EX.other})) == []


def test_query_restricted_to_graphs(store: PolicyStore) -> None:
    store.replace_graph(G1, small_graph("a"))
    store.replace_graph(G2, small_graph("b"))
    query = "PREFIX ex: <http://example.org/> SELECT ?p WHERE { ?p a ex:Policy } ORDER BY ?p"
    assert [row["p"] for row in store.query(query)] == [EX.a, EX.b]
    assert [row["p"] for row in store.query(query, graphs=[G2])] == [EX.b]
    assert [row["p"] for row in store.query(query, graphs=[G1, G2])] == [EX.a, EX.b]
    assert list(store.query(query, graphs=[])) == []


def test_graph_patterns_see_only_the_named_graphs_asked_for(store: PolicyStore) -> None:
    store.replace_graph(G1, small_graph("a"))
    store.replace_graph(G2, small_graph("b"))
    query = ("PREFIX ex: <http://example.org/> "
             "SELECT ?g ?p WHERE { GRAPH ?g { ?p a ex:Policy } } ORDER BY ?p")
    assert [(str(row["g"]), row["p"]) for row in store.query(query)] == [(G1, EX.a), (G2, EX.b)]
    assert [(str(row["g"]), row["p"]) for row in store.query(query, named_graphs=[G2])] == [(G2, EX.b)]
    assert list(store.query(query, named_graphs=[])) == []
    # the default graph is chosen apart from the named ones
    plain = "PREFIX ex: <http://example.org/> SELECT ?p WHERE { ?p a ex:Policy } ORDER BY ?p"
    assert [row["p"] for row in store.query(plain, graphs=[G1], named_graphs=[G2])] == [EX.a]
    assert [row["p"] for row in store.query(plain, named_graphs=[G2])] == [EX.a, EX.b]


def test_construct_and_ask(store: PolicyStore) -> None:
    store.replace_graph(G1, rich_graph())
    construct = store.query("PREFIX ex: <http://example.org/> CONSTRUCT { ?p ex:named ?t } WHERE { ?p ex:title ?t }")
    assert construct.type == "CONSTRUCT"
    expected = Graph()
    expected.add((EX.policy, EX.named, Literal("Donor Lymphocyte Infusion", lang="en-US")))
    assert construct.graph is not None
    assert isomorphic(lowercase_langs(construct.graph), lowercase_langs(expected))
    ask = "PREFIX ex: <http://example.org/> ASK { ?p ex:active ?flag }"
    assert store.query(ask, bindings={"flag": Literal(True)}).askAnswer is True
    assert store.query(ask, bindings={"flag": Literal(False)}).askAnswer is False
    assert store.query(ask, graphs=[G2]).askAnswer is False


@pytest.mark.parametrize(
    "bad_term",
    [Variable("x"), URIRef("http://example.org/has space")],
    ids=["variable-object", "invalid-iri"],
)
def test_failed_replace_leaves_old_graph_intact(store: PolicyStore, bad_term: URIRef) -> None:
    store.replace_graph(G1, small_graph("old"))
    broken = rich_graph()
    broken.add((EX.policy, EX.broken, bad_term))
    with pytest.raises(StoreError):
        store.replace_graph(G1, broken)
    assert isomorphic(store.get_graph(G1), small_graph("old"))
    assert store.graph_iris() == [G1]


def test_replace_graphs_writes_all_and_an_empty_graph_removes(store: PolicyStore) -> None:
    shared = (EX.shared, RDF.type, EX.Policy)
    a, b = small_graph("a"), small_graph("b")
    a.add(shared)
    b.add(shared)
    store.replace_graphs({G1: a, G2: b})
    assert isomorphic(store.get_graph(G1), a) and isomorphic(store.get_graph(G2), b)
    # G1 now lacks the shared triple, G2 is emptied: the union keeps exactly the new content
    store.replace_graphs({G1: small_graph("c"), G2: Graph()})
    assert store.graph_iris() == [G1]
    assert isomorphic(store.get_graph(G1), small_graph("c"))
    assert store.stats() == {"graphs": 1, "triples": 2}
    ask = "ASK { ?s ?p ?o }"
    assert store.query(ask, bindings={"s": EX.shared, "p": RDF.type, "o": EX.Policy}).askAnswer is False


def test_failed_replace_graphs_leaves_every_graph_intact(store: PolicyStore) -> None:
    """A bad term in the second graph: the first, valid one is not written either."""
    store.replace_graphs({G1: small_graph("old1"), G2: small_graph("old2")})
    broken = small_graph("new2")
    broken.add((EX.policy, EX.broken, URIRef("http://example.org/has space")))
    with pytest.raises(StoreError):
        store.replace_graphs({G1: small_graph("new1"), G2: broken})
    assert isomorphic(store.get_graph(G1), small_graph("old1"))
    assert isomorphic(store.get_graph(G2), small_graph("old2"))
