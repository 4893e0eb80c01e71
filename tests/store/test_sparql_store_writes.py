"""sparql: store writes on a real Virtuoso: whole policies, blank nodes across chunks, and a failed
write that leaves the previous graph and no temporary graph behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from explorer.errors import StoreError
from explorer.ingest import load_lexicon, parse_policy_file
from explorer.model import facts_to_graph
from explorer.store import sparql_write
from explorer.store.sparql_store import SparqlStore
from explorer.store.sparql_write import DATA_CHUNK, PATTERN_CHUNK, TEMP_GRAPH_PREFIX, plan_replace
from tests.store.virtuoso import VirtuosoServer

pytestmark = pytest.mark.virtuoso

SEED = Path(__file__).resolve().parents[2] / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
EX = Namespace("http://example.org/")
G = "https://w3id.org/policy-explorer/test/graph/writes"


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    return facts_to_graph(parse_policy_file(SEED, load_lexicon()))


def linked_graph(items: int, chain: int, plain: int) -> Graph:
    """Blank nodes in small components, one long blank-node chain, and plain triples."""
    g = Graph()
    for i in range(items):  # three triples each, so a plain split at PATTERN_CHUNK would cut one
        item, inner = BNode(), BNode()
        g.add((EX[f"holder{i}"], EX.item, item))
        g.add((item, EX.next, inner))
        g.add((inner, EX.label, Literal(f"inner {i}")))
    nodes = [BNode() for _ in range(chain)]
    g.add((EX.chain, EX.first, nodes[0]))
    for a, b in zip(nodes, nodes[1:], strict=False):
        g.add((a, EX.next, b))
    for i in range(plain):
        g.add((EX[f"s{i}"], EX.p, Literal(i)))
    return g


def test_seed_policy_round_trips(vstore: SparqlStore, seed_graph: Graph) -> None:
    """2,051 triples: one DROP + INSERT failed on Virtuoso (SP031); chunks into a temp graph do not."""
    assert len(seed_graph) > DATA_CHUNK
    vstore.replace_graph(G, seed_graph)
    assert isomorphic(vstore.get_graph(G), seed_graph)
    assert vstore.graph_iris() == [G]
    assert vstore.temporary_graphs() == []


def test_blank_nodes_stay_linked_across_chunks(vstore: SparqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks (so rdflib's isomorphism check stays fast): no blank-node set is ever split."""
    monkeypatch.setattr(sparql_write, "PATTERN_CHUNK", 10)
    graph = linked_graph(items=40, chain=25, plain=30)
    plan = plan_replace(G, graph)
    assert sum(text.endswith("WHERE { }") for text in plan.inserts) >= 12
    vstore.replace_graph(G, graph)
    assert isomorphic(vstore.get_graph(G), graph)


def test_full_size_blank_node_chunks_are_accepted(vstore: SparqlStore) -> None:
    """Real chunk sizes stay under Virtuoso's limits, and each item keeps its own blank nodes."""
    items = PATTERN_CHUNK // 3 + 20
    assert PATTERN_CHUNK % 3  # a plain split at PATTERN_CHUNK would cut an item in two
    graph = linked_graph(items=items, chain=5, plain=DATA_CHUNK + 10)
    plan = plan_replace(G, graph)
    assert sum(text.startswith("INSERT DATA") for text in plan.inserts) == 2
    assert sum(text.endswith("WHERE { }") for text in plan.inserts) == 2
    vstore.replace_graph(G, graph)
    query = (
        "PREFIX ex: <http://example.org/> SELECT (COUNT(DISTINCT ?holder) AS ?h) (COUNT(DISTINCT ?item) AS ?i) "
        "(COUNT(DISTINCT ?label) AS ?l) WHERE { ?holder ex:item ?item . ?item ex:next ?inner . ?inner ex:label ?label }"
    )
    row = next(iter(vstore.query(query)))
    assert [int(v) for v in row] == [items, items, items]  # type: ignore[union-attr]
    assert vstore.stats()["triples"] == len(graph)


def test_replace_replaces_and_empty_graph_empties(vstore: SparqlStore, seed_graph: Graph) -> None:
    vstore.replace_graph(G, seed_graph)
    small = Graph()
    small.add((EX.policy, RDF.type, EX.Policy))
    vstore.replace_graph(G, small)
    assert isomorphic(vstore.get_graph(G), small)
    vstore.replace_graph(G, Graph())
    assert vstore.graph_iris() == []


def test_failed_chunk_leaves_old_graph_and_no_temporary_graph(
    vstore: SparqlStore, seed_graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = linked_graph(items=5, chain=3, plain=5)
    vstore.replace_graph(G, old)
    real_post = vstore._post
    calls: list[str] = []

    def failing_post(target: str, fields: list[tuple[str, str]], accept: str, what: str):  # type: ignore[no-untyped-def]
        if fields and fields[0][0] == "update":
            calls.append(fields[0][1])
            if len(calls) == 3:
                raise StoreError("simulated: connection lost")
        return real_post(target, fields, accept, what)

    monkeypatch.setattr(vstore, "_post", failing_post)
    with pytest.raises(StoreError) as caught:
        vstore.replace_graph(G, seed_graph)
    monkeypatch.undo()
    message = str(caught.value)
    assert G in message and "chunk 3 of 3" in message and "unchanged" in message
    assert "simulated: connection lost" in message
    assert calls[-1].startswith("DROP SILENT GRAPH <" + TEMP_GRAPH_PREFIX)  # the clean-up ran
    assert isomorphic(vstore.get_graph(G), old)
    assert vstore.temporary_graphs() == []
    assert vstore.graph_iris() == [G]


def test_left_over_temporary_graph_is_hidden_and_can_be_dropped(
    vstore: SparqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed mid-write leaves its temporary graph; no query or listing sees it."""
    plan = plan_replace(G, linked_graph(items=2, chain=2, plain=2))
    for text in plan.inserts:
        vstore._update(text, "test insert")
    assert vstore.temporary_graphs() == [plan.temp_iri]
    assert vstore.graph_iris() == []
    assert vstore.stats() == {"graphs": 0, "triples": 0}
    assert list(vstore.query("SELECT ?s WHERE { ?s ?p ?o }")) == []
    assert vstore.drop_temporary_graphs() == [plan.temp_iri]
    assert vstore.temporary_graphs() == []


KILLED_WRITER = """
import sys
from rdflib import Graph, Literal, Namespace
from explorer.store import open_store
EX = Namespace("http://example.org/")
graph = Graph()
for i in range(60_000):
    graph.add((EX[f"big{i}"], EX.p, Literal(i)))
open_store(sys.argv[1]).replace_graph(sys.argv[2], graph)
"""


def test_writer_killed_mid_write_leaves_old_graph(virtuoso: VirtuosoServer, vstore: SparqlStore) -> None:
    """kill -9 of a process writing 60,000 triples, once its temporary graph exists."""
    old = linked_graph(items=3, chain=2, plain=4)
    vstore.replace_graph(G, old)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, "sparql:" + virtuoso.sparql_url, G],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 60
        while not vstore.temporary_graphs():
            assert child.poll() is None, "the writer ended before it could be killed"
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert len(vstore.temporary_graphs()) == 1  # left over, and hidden from everything else
    assert isomorphic(vstore.get_graph(G), old)
    assert vstore.graph_iris() == [G]
    assert vstore.stats() == {"graphs": 1, "triples": len(old)}
    vstore.drop_temporary_graphs()
    assert vstore.temporary_graphs() == []


def test_unstorable_term_fails_before_any_request(vstore: SparqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_requests(*args: object) -> None:
        raise AssertionError("no request may be sent")

    bad = Graph()
    bad.add((EX.s, EX.p, EX["has space"]))
    monkeypatch.setattr(vstore, "_post", no_requests)
    with pytest.raises(StoreError, match="has space"):
        vstore.replace_graph(G, bad)


def test_kill_at_each_write_boundary_leaves_old_or_new_policy_never_a_mix(
    virtuoso: VirtuosoServer, vstore: SparqlStore, tmp_path: Path
) -> None:
    """Issue 11 on a SPARQL server: a re-ingest killed (SIGKILL, a real process) before each of its
    update requests and after the last leaves the policy's asserted graph, inferred graph and union
    all old or all new (the graphs' temporary copies are filled first, then swapped in by one
    request)."""
    from explorer.pipeline import ingest_paths
    from tests.security.crash_child import new_version
    from tests.security.test_crash_safety import versions_at_each_boundary

    document = tmp_path / "bcbsma-338-donor-lymphocyte-infusion.txt"
    document.write_text(new_version(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    url = "sparql:" + virtuoso.sparql_url
    current: list[str] = []

    def make_store(name: str) -> str:
        if current != [name]:  # a new name: back to the old version (the same name: the same store)
            vstore.drop_temporary_graphs()
            assert ingest_paths(vstore, [SEED]).ok
            current[:] = [name]
        return url

    seen = versions_at_each_boundary(make_store, document)
    assert all(state in (("old",) * 3, ("new",) * 3) for state in seen), seen
    assert seen[0] == ("old",) * 3 and seen[-1] == ("new",) * 3
    vstore.drop_temporary_graphs()
