"""Stored policy versions (issue 16 item 5) on real pairs of dated documents: the API the `changes`
command reads (``explorer.versions.store``), and that the store keeps earlier versions out of the
union default graph on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from explorer.errors import UnknownPolicyError
from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts
from explorer.model import facts_to_graph, graph_iri, policy_iri_of, policy_of_graph
from explorer.model.iris import VERSION_GRAPH_PREFIX, version_graph_iri, version_of_graph
from explorer.model.version_rdf import version_iri
from explorer.store import PolicyStore
from explorer.store.base import VERSION_GRAPH_PREFIX as STORE_VERSION_PREFIX
from explorer.versions.store import stored_versions, version_graph

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
MOLINA_OLD = "molina-MCP-051-genetic-testing.2026-02-05.txt"     # effective 2025-02-12
MOLINA_NEW = "molina-MCP-051-genetic-testing.2026-03-22.txt"     # effective 2026-02-11


@pytest.fixture(scope="module")
def molina() -> tuple[PolicyFacts, PolicyFacts]:
    return parse_policy_file(REAL / MOLINA_OLD), parse_policy_file(REAL / MOLINA_NEW)


def test_version_graph_iris_round_trip_and_are_no_policy_graph(molina: tuple[PolicyFacts, PolicyFacts]) -> None:
    old, _ = molina
    policy = policy_iri_of(old)
    version = version_iri(old, policy)
    g = version_graph_iri(version)
    assert str(g) == VERSION_GRAPH_PREFIX + "molina/051/2025-02-12"
    assert version_of_graph(str(g)) == version
    assert policy_of_graph(str(g)) is None
    assert version_of_graph(str(graph_iri(policy))) is None
    assert STORE_VERSION_PREFIX == VERSION_GRAPH_PREFIX  # the store cannot import the model: one value twice
    with pytest.raises(ValueError):
        version_graph_iri(policy)


def test_stored_versions_lists_the_current_and_the_kept_versions_oldest_first(
    store: PolicyStore, molina: tuple[PolicyFacts, PolicyFacts]
) -> None:
    old, new = molina
    policy = policy_iri_of(new)
    assert stored_versions(store, policy) == []
    new_graph, old_graph = facts_to_graph(new), facts_to_graph(old)
    old_version = version_iri(old, policy)
    store.replace_graphs({str(graph_iri(policy)): new_graph, str(version_graph_iri(old_version)): old_graph})
    versions = stored_versions(store, policy)
    assert [(v.iri.rpartition("/version/")[2], v.date, v.current) for v in versions] == [
        ("2025-02-12", "2025-02-12", False), ("2026-02-11", "2026-02-11", True)]
    assert versions[0].graph == str(version_graph_iri(old_version))
    assert versions[1].graph == str(graph_iri(policy))
    assert isomorphic(version_graph(store, versions[0].iri), old_graph)
    assert isomorphic(version_graph(store, versions[1].iri), new_graph)
    with pytest.raises(UnknownPolicyError, match="2025-02-12, 2026-02-11"):
        version_graph(store, URIRef(f"{policy}/version/1999-01-01"))


def test_earlier_versions_stay_out_of_the_union(store: PolicyStore, molina: tuple[PolicyFacts, PolicyFacts]) -> None:
    """A query over all graphs sees the current version only; GRAPH patterns see both; replacing
    or dropping the current graph leaves no triple of it in the union, whatever the kept version shares."""
    old, new = molina
    policy = policy_iri_of(new)
    new_graph, old_graph = facts_to_graph(new), facts_to_graph(old)
    kept = str(version_graph_iri(version_iri(old, policy)))
    store.replace_graphs({str(graph_iri(policy)): new_graph, kept: old_graph})
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(store.query(count)))[0]) == len(new_graph)  # type: ignore[index]
    assert kept in store.graph_iris()
    assert int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]) == (  # type: ignore[index]
        len(new_graph) + len(old_graph))
    store.remove_graph(str(graph_iri(policy)))  # what both versions share must leave the union too
    assert int(next(iter(store.query(count)))[0]) == 0  # type: ignore[index]
    store.replace_graph(str(graph_iri(policy)), new_graph)
    store.remove_graph(kept)
    assert int(next(iter(store.query(count)))[0]) == len(new_graph)  # type: ignore[index]
    assert isomorphic(store.get_graph(str(graph_iri(policy))), new_graph)
    assert kept not in store.graph_iris()


def test_a_rebuilt_union_leaves_the_earlier_versions_out(store: PolicyStore,
                                                         molina: tuple[PolicyFacts, PolicyFacts]) -> None:
    """Stores written before the union was kept rebuild it on open (Oxigraph) or at the first write
    (a SPARQL server): from the current graphs only."""
    from explorer.store.oxigraph_store import OxigraphStore
    from explorer.store.sparql_store import SparqlStore

    old, new = molina
    policy = policy_iri_of(new)
    new_graph = facts_to_graph(new)
    store.replace_graphs({str(graph_iri(policy)): new_graph,
                          str(version_graph_iri(version_iri(old, policy))): facts_to_graph(old)})
    if isinstance(store, OxigraphStore):
        import pyoxigraph as ox

        store._ox.clear_graph(ox.DefaultGraph())
        store._ensure_union_default()
    elif isinstance(store, SparqlStore):
        store.rebuild_union()
    else:
        pytest.skip("memory: has no stored union (rdflib's Dataset computes it)")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(store.query(count)))[0]) == len(new_graph)  # type: ignore[index]


def test_the_bulk_writer_keeps_an_earlier_versions_graph_out_of_the_union(
        molina: tuple[PolicyFacts, PolicyFacts]) -> None:
    """A bulk batch may hold an earlier version's graph (explorer/bulk_batch.py): it is written, and
    none of its triples reach the default graph (the union the catalog reads)."""
    import pyoxigraph as ox

    from explorer.store.oxigraph_store import OxigraphStore
    from explorer.store.terms import graph_to_quads

    old, _ = molina
    kept = str(version_graph_iri(version_iri(old, policy_iri_of(old))))
    graph = facts_to_graph(old)
    nquads = ox.serialize(graph_to_quads(graph, kept), format=ox.RdfFormat.N_QUADS)
    assert nquads
    with OxigraphStore("oxigraph:") as store:
        store.bulk_add_graphs(nquads, [kept], b"")   # the union's triples: none
        assert kept in store.graph_iris() and len(store.get_graph(kept)) == len(graph)
        assert next(store._ox.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None
