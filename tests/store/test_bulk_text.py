"""The bulk writer's text (issue 15 item 1): each policy's graphs written as N-Quads and N-Triples
text by term, not as pyoxigraph quads then serialized, and each batch written in a background
thread while the workers build the next. The text must hold exactly the quads the quad path holds,
on every bundled real policy, and a write's error must still stop the ingest with the batches
before it whole."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef

from explorer.errors import StoreError
from explorer.pipeline import list_policies
from explorer.pipeline_bulk import _serialized, build_document, ingest_paths_bulk
from explorer.store import open_store
from explorer.store.oxigraph_store import OxigraphStore
from explorer.store.terms import graph_to_quads, ntriples_bodies, to_ox

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted(p for p in (ROOT / "data" / "policies").iterdir() if p.suffix in {".txt", ".pdf"})
FIXTURES = ROOT / "tests" / "fixtures" / "policies"


def _quad_path(named: list[tuple[Graph, str]]) -> set[ox.Quad]:
    return {q for graph, name in named for q in graph_to_quads(graph, name)}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_text_holds_the_quads_of_the_quad_path_on_every_bundled_policy(path):
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph, graph_iri, inferred_graph_iri, policy_iri_of
    from explorer.model.iris import index_graph_iri
    from explorer.model.span_index import span_index
    from explorer.pipeline_bulk import _lexicon
    from explorer.reason import infer_policy

    built = build_document(str(path))
    assert built.policy is not None, built.error
    facts = parse_policy_file(path, _lexicon())
    iri = policy_iri_of(facts)
    graph = facts_to_graph(facts)
    named = [(graph, str(graph_iri(iri))), (infer_policy(graph).graph, str(inferred_graph_iri(iri))),
             (span_index(graph), str(index_graph_iri(iri)))]
    written = set(ox.parse(built.nquads, format=ox.RdfFormat.N_QUADS))
    assert written == _quad_path(named)
    assert built.ntriples is not None   # the model writes no blank node
    union = {q.triple for q in ox.parse(built.ntriples, format=ox.RdfFormat.N_TRIPLES)}
    assert union == {q.triple for q in written}
    assert set(built.graphs) == {q.graph_name.value for q in written}


# text a literal may hold: quotes, backslashes, line breaks, tabs, controls, astral characters
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ['"', "\\", '\\"', "\r\n", "\t", "\x00", "\x7f", "a\"b\\c\nd", "😀", "\u2028", "}", "> .", "<x>"])
_LITERAL = st.one_of(
    st.builds(Literal, _TEXT),
    st.builds(lambda t, lang: Literal(t, lang=lang), _TEXT, st.sampled_from(["en", "en-US", "de-CH-1996"])),
    st.builds(lambda t, dt: Literal(t, datatype=URIRef(dt)), _TEXT,
              st.sampled_from(["http://www.w3.org/2001/XMLSchema#string", "http://x/type",
                               "http://www.w3.org/2001/XMLSchema#token"])),
    st.builds(Literal, st.integers(-10**30, 10**30)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LITERAL, min_size=1, max_size=6))
def test_any_literal_is_written_as_the_quad_path_writes_it(literals):
    graph = Graph()
    for i, literal in enumerate(literals):
        graph.add((URIRef(f"http://x/s{i}"), URIRef("http://x/p"), literal))
    nquads, ntriples = _serialized([(graph, "http://x/g")])
    assert set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)) == _quad_path([(graph, "http://x/g")])
    assert ntriples is not None
    assert {q.object for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)} == {to_ox(lit) for lit in literals}


def test_a_blank_node_takes_the_quad_path():
    graph = Graph()
    node = BNode()
    graph.add((node, URIRef("http://x/p"), Literal("1")))
    graph.add((URIRef("http://x/s"), URIRef("http://x/q"), node))
    assert ntriples_bodies(graph, {}) is None
    nquads, ntriples = _serialized([(graph, "http://x/g")])
    assert ntriples is None   # the union is then written quad by quad (bulk_add_graphs)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    blank = {t for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    assert len(quads) == 2 and len(blank) == 1   # still one node


@pytest.mark.parametrize("triple", [
    (URIRef("http://x/s"), URIRef("http://x/p"), URIRef("not an iri")),
    (URIRef("http://x/s> <http://x/p> <http://x/o"), URIRef("http://x/p"), Literal("1")),
    (Literal("a literal subject"), URIRef("http://x/p"), Literal("1")),
    (URIRef("http://x/s"), Literal("a literal predicate"), Literal("1")),
    (URIRef("http://x/s"), URIRef("http://x/p"), Literal("1", datatype=URIRef("not a datatype iri"))),
], ids=["bad-object-iri", "iri-with-spaces", "literal-subject", "literal-predicate", "bad-datatype-iri"])
def test_a_term_the_store_cannot_hold_is_refused_as_the_quad_path_refuses_it(triple):
    graph = Graph()
    graph.add(triple)
    with pytest.raises(StoreError, match="cannot store"):
        graph_to_quads(graph, "http://x/g")
    with pytest.raises(StoreError, match="cannot store"):
        _serialized([(graph, "http://x/g")])


def test_a_literal_met_first_as_an_object_is_still_refused_as_a_subject():
    """Terms are written once per policy and reused: the reuse must not skip the subject check."""
    graph = Graph()
    graph.add((URIRef("http://x/s"), URIRef("http://x/p"), Literal("x")))
    graph.add((URIRef("http://x/s"), URIRef("http://x/q"), Literal("y")))
    second = Graph()
    second.add((Literal("x"), URIRef("http://x/p"), URIRef("http://x/o")))
    third = Graph()
    third.add((URIRef("http://x/s"), Literal("y"), URIRef("http://x/o")))
    for bad in (second, third):
        with pytest.raises(StoreError, match="cannot store"):
            _serialized([(graph, "http://x/g"), (bad, "http://x/h")])


def test_a_failed_background_write_stops_the_ingest_and_the_batches_before_it_stay_whole(tmp_path, monkeypatch):
    """One policy per batch: the second write fails in the writer thread; the ingest raises that
    StoreError (at the next hand-over), the first batch's policy is in the store and whole, and the
    failed one is absent (its journal undone)."""
    documents = sorted(p for p in FIXTURES.iterdir() if p.suffix == ".txt")[:3]
    calls: list[list[str]] = []
    real = OxigraphStore.bulk_add_graphs

    def flaky(self, nquads, graph_iris, ntriples=None):
        calls.append(list(graph_iris))
        if len(calls) == 2:
            # a broken batch: the real writer fails on it and undoes its journal
            return real(self, nquads + b"<broken", graph_iris, ntriples and ntriples + b"<broken")
        return real(self, nquads, graph_iris, ntriples)

    monkeypatch.setattr(OxigraphStore, "bulk_add_graphs", flaky)
    with open_store(f"oxigraph:{tmp_path / 's'}") as store:
        with pytest.raises(StoreError, match="cannot write"):
            ingest_paths_bulk(store, documents, workers=0, batch_bytes=1)
        assert len(calls) == 2   # nothing written after the failure
        graphs = set(store.graph_iris())
        assert set(calls[0]) <= graphs and not set(calls[1]) & graphs
        assert len(list_policies(store)) == 1
