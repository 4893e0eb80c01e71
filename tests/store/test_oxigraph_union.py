"""The Oxigraph store keeps its default graph equal to the union of its named graphs."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace

from explorer.store import open_store
from explorer.store.oxigraph_store import OxigraphStore

EX = Namespace("http://example.org/")
GRAPHS = [f"https://w3id.org/policy-explorer/test/graph/{i}" for i in range(4)]
TRIPLES = [(EX[f"s{i % 3}"], EX.p, Literal(i)) for i in range(8)]


def default_triples(store: OxigraphStore) -> set[tuple[str, str, str]]:
    """The triples a query without FROM/GRAPH sees."""
    rows = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    return {(str(r[0]), str(r[1]), str(r[2])) for r in rows}  # type: ignore[index]


def union_of(contents: dict[str, set[tuple]]) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for triples in contents.values() for s, p, o in triples}


def graph_of(triples: set[tuple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_shared_triples_survive_until_no_graph_holds_them(tmp_path: Path) -> None:
    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        assert isinstance(store, OxigraphStore)
        a, b, c = TRIPLES[:3]
        store.replace_graph(GRAPHS[0], graph_of({a, b}))
        store.replace_graph(GRAPHS[1], graph_of({b, c}))
        assert default_triples(store) == union_of({"0": {a, b}, "1": {b, c}})
        store.remove_graph(GRAPHS[1])             # b is still in graph 0
        assert default_triples(store) == union_of({"0": {a, b}})
        store.replace_graph(GRAPHS[0], graph_of({c}))
        assert default_triples(store) == union_of({"0": {c}})
        assert store.stats() == {"graphs": 1, "triples": 1}


def test_random_writes_keep_the_default_graph_the_union() -> None:
    rng = random.Random(7)
    contents: dict[str, set[tuple]] = {}
    with open_store("oxigraph:") as store:
        for _ in range(60):
            graph = rng.choice(GRAPHS)
            if rng.random() < 0.25:
                store.remove_graph(graph)
                contents.pop(graph, None)
            else:
                chosen = set(rng.sample(TRIPLES, rng.randint(1, 5)))
                store.replace_graph(graph, graph_of(chosen))
                contents[graph] = chosen
            assert default_triples(store) == union_of(contents)
            assert store.query("SELECT ?o WHERE { ?s ?p ?o }", graphs=[graph]) is not None


def test_a_store_written_without_the_union_is_rebuilt_on_open(tmp_path: Path) -> None:
    """Stores written by earlier versions held quads in named graphs only."""
    path = tmp_path / "old"
    raw = ox.Store(str(path))
    raw.add(ox.Quad(ox.NamedNode(str(EX.s)), ox.NamedNode(str(EX.p)), ox.Literal("x"), ox.NamedNode(GRAPHS[0])))
    raw.flush()
    del raw
    with open_store(f"oxigraph:{path}") as store:
        assert default_triples(store) == {(str(EX.s), str(EX.p), "x")}
