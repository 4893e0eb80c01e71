"""The model's graph store (explorer/model/triple_store.py) answers as rdflib's SimpleMemory does.

Same triples for every pattern (each term bound or not), in the order they were added; ``value``,
``len``, ``in``, removal, adds after the indexes are built, and a real policy's graph: the same
triples and the same serialization as on SimpleMemory.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from explorer.model.triple_store import TripleStore, plain_graph

EX = "https://example.org/"


def _random_triples(seed: int, n: int) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    rng = random.Random(seed)
    nodes = [URIRef(f"{EX}n{i}") for i in range(12)]
    props = [URIRef(f"{EX}p{i}") for i in range(4)]
    values = [*nodes, Literal("a"), Literal("a", lang="en"), Literal(1), Literal("1")]
    return [(rng.choice(nodes), rng.choice(props), rng.choice(values)) for _ in range(n)]


def _both(triples: list) -> tuple[Graph, Graph]:
    plain, simple = plain_graph(), Graph(store="SimpleMemory")
    for t in triples:
        plain.add(t)
        simple.add(t)
    return plain, simple


def test_every_pattern_matches_the_same_triples_in_the_order_added() -> None:
    for seed in range(20):
        triples = _random_triples(seed, 200)
        plain, simple = _both(triples)
        assert len(plain) == len(simple) == len(set(triples))
        assert list(plain) == list(dict.fromkeys(triples))
        s0, p0, o0 = triples[0]
        for s, p, o in itertools.product((None, s0), (None, p0), (None, o0)):
            got = list(plain.triples((s, p, o)))
            assert sorted(got) == sorted(simple.triples((s, p, o)))
            wanted = [t for t in dict.fromkeys(triples)
                      if all(x is None or x == y for x, y in zip((s, p, o), t, strict=True))]
            assert got == wanted
        assert plain.value(s0, p0) == next(iter(t[2] for t in triples if t[:2] == (s0, p0)))
        assert (s0, p0, o0) in plain and (s0, p0, URIRef(f"{EX}absent")) not in plain


def test_adds_after_a_lookup_and_removals_keep_the_answers() -> None:
    triples = _random_triples(7, 300)
    plain, simple = _both(triples[:150])
    s0, p0, _ = triples[0]
    assert sorted(plain.triples((s0, None, None))) == sorted(simple.triples((s0, None, None)))  # indexes built
    for t in triples[150:]:
        plain.add(t)
        simple.add(t)
    plain.remove((s0, p0, None))
    simple.remove((s0, p0, None))
    for pattern in [(s0, None, None), (None, p0, None), (None, None, triples[5][2]), (None, None, None)]:
        assert sorted(plain.triples(pattern)) == sorted(simple.triples(pattern))
    assert len(plain) == len(simple)


def test_adding_while_reading_the_whole_graph_is_allowed() -> None:
    graph = plain_graph()
    graph.add((URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal(1)))
    for s, p, _ in graph:
        graph.add((s, p, Literal(2)))
    assert len(graph) == 2


def test_a_policy_graph_and_its_index_are_those_built_on_simple_memory(bundled_dir: Path, monkeypatch) -> None:
    import explorer.model.span_index as span_index_module
    import explorer.model.to_rdf as to_rdf
    from explorer.ingest import load_lexicon, parse_policy_file
    from explorer.model import facts_to_graph
    from explorer.model.span_index import span_index

    facts = parse_policy_file(bundled_dir / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt", load_lexicon())
    graph = facts_to_graph(facts)
    index = span_index(graph)
    assert isinstance(graph.store, TripleStore) and isinstance(index.store, TripleStore)
    for module in (to_rdf, span_index_module):
        monkeypatch.setattr(module, "plain_graph", lambda: Graph(store="SimpleMemory"))
    simple = facts_to_graph(facts)
    assert not isinstance(simple.store, TripleStore)
    assert len(graph) > 1000
    assert set(graph) == set(simple)
    assert set(index) == set(span_index(simple)) and len(index) > 100
    assert dict(graph.namespaces()) == dict(simple.namespaces())
