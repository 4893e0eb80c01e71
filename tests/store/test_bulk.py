"""The bulk ingest path (issue 15 item 1): the same store and report as the per-policy path, new
policies bulk-loaded many per write, old ones replaced, a failed document absent, and a journal
that makes an interrupted bulk write whole or absent per policy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from explorer.errors import StoreError
from explorer.pipeline import ingest_paths, list_policies
from explorer.pipeline_bulk import BulkStats, bulk_helps, ingest_paths_bulk
from explorer.store import open_store
from explorer.store.oxigraph_store import OxigraphStore
from explorer.store.updates import BULK_JOURNAL, bulk_journal_update

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "tests" / "fixtures" / "policies"
VOCABULARY_GRAPHS = ("https://w3id.org/policy-explorer/graph/vocabulary",
                     "https://w3id.org/policy-explorer/graph/inferred/vocabulary")


def quads(store: OxigraphStore) -> set[ox.Quad]:
    """Every quad outside the vocabulary graphs (their blank nodes are fresh on every load) and
    without blank nodes in the default graph (the vocabulary's, for the same reason)."""
    out = set()
    for q in store._ox.quads_for_pattern(None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in VOCABULARY_GRAPHS:
            continue
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            continue
        out.add(q)
    return out


def union_is_kept(store: OxigraphStore) -> bool:
    raw = store._ox
    default = {q.triple for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    named = {q.triple for q in raw.quads_for_pattern(None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph)}
    return default == named


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """The fixture policies, a copy of the seed under another number, and a document that fails."""
    folder = tmp_path / "docs"
    shutil.copytree(POLICIES, folder)
    seed = (folder / "bcbsma-338-donor-lymphocyte-infusion.pdf-text.txt").read_text(encoding="utf-8")
    (folder / "bcbsma-9338.txt").write_text(seed.replace("Policy Number: 338", "Policy Number: 9338"),
                                            encoding="utf-8")
    (folder / "broken.txt").write_text("not a policy at all\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("workers", [0, 2])
def test_bulk_path_writes_what_the_per_policy_path_writes(documents, tmp_path, workers):
    with open_store("oxigraph:") as one, open_store(f"oxigraph:{tmp_path / 'bulk'}") as bulk:
        assert isinstance(one, OxigraphStore) and isinstance(bulk, OxigraphStore)
        expected = ingest_paths(one, [documents])
        stats = BulkStats()
        got = ingest_paths(bulk, [documents], bulk=True, workers=workers)
        assert got.ingested == expected.ingested
        assert got.failed == expected.failed and [Path(f.path).name for f in got.failed] == ["broken.txt"]
        assert quads(bulk) == quads(one)
        assert union_is_kept(bulk)
        assert BULK_JOURNAL not in bulk.graph_iris()
        again = ingest_paths_bulk(bulk, [documents / "bcbsma-9338.txt"], workers=0, stats=stats)
        assert again.ok and stats.replaced == 1 and stats.batches == 0  # an old policy: replaced
        assert quads(bulk) == quads(one)


def test_many_policies_per_batch_and_a_policy_met_twice(documents, tmp_path):
    """Small batches (one bulk write per policy or two) and the same policy in two files: the later
    file wins, as on the per-policy path."""
    twice = documents / "zz-bcbsma-9338-again.txt"
    twice.write_text((documents / "bcbsma-9338.txt").read_text(encoding="utf-8").replace(
        "Donor Lymphocyte Infusion", "Donor Lymphocyte Infusion (revised)"), encoding="utf-8")
    with open_store("oxigraph:") as one, open_store("oxigraph:") as bulk:
        assert isinstance(one, OxigraphStore) and isinstance(bulk, OxigraphStore)
        expected = ingest_paths(one, [documents])
        stats = BulkStats()
        got = ingest_paths_bulk(bulk, sorted(documents.iterdir()), workers=0, batch_bytes=1, stats=stats)
        assert got.ingested == expected.ingested
        assert stats.batches >= 3 and stats.replaced == 1
        assert quads(bulk) == quads(one)
        assert union_is_kept(bulk)


def test_versions_met_in_one_run_wait_for_their_batch_not_split_it(documents, tmp_path):
    """Two policies each met twice, between new ones (as a folder of dated versions is): each
    later file is replaced after the batch holding the earlier one is written, so the batches stay
    whole (one here), and the store and report are the per-policy path's."""
    seed = (documents / "bcbsma-9338.txt").read_text(encoding="utf-8")
    for number in ("9338", "9339"):
        text = seed.replace("Policy Number: 9338", f"Policy Number: {number}")
        (documents / f"bcbsma-{number}.txt").write_text(text, encoding="utf-8")
        (documents / f"bcbsma-{number}-again.txt").write_text(
            text.replace("Donor Lymphocyte Infusion", "Donor Lymphocyte Infusion (revised)"), encoding="utf-8")
    with open_store("oxigraph:") as one, open_store("oxigraph:") as bulk:
        assert isinstance(one, OxigraphStore) and isinstance(bulk, OxigraphStore)
        expected = ingest_paths(one, [documents])
        stats = BulkStats()
        got = ingest_paths_bulk(bulk, sorted(documents.iterdir()), workers=0, stats=stats)
        assert got.ingested == expected.ingested and [f.path for f in got.failed] == [f.path for f in expected.failed]
        assert (stats.batches, stats.replaced, stats.merged) == (1, 0, 2)
        assert quads(bulk) == quads(one)
        assert union_is_kept(bulk)


def test_bulk_helps_a_new_store_or_many_documents(documents):
    with open_store("oxigraph:") as store, open_store("memory:") as rdflib_store:
        docs = sorted(documents.iterdir())
        assert bulk_helps(store, docs[:1])           # empty store
        ingest_paths(store, docs[:1])
        assert not bulk_helps(store, docs[:1])       # one document into a store with policies
        assert bulk_helps(store, docs[:1] * 20)
        assert not bulk_helps(rdflib_store, docs)   # no bulk writer: the per-policy path


def test_the_cli_ingest_takes_the_bulk_path_with_the_same_report(documents, tmp_path):
    from tests.cliutil import run

    result = run("ingest", str(documents), "-q", store=f"oxigraph:{tmp_path / 'cli'}")
    assert result.exit_code == 2  # broken.txt failed; the others are in
    assert "4 ingested, 1 failed" in result.stdout
    with open_store(f"oxigraph:{tmp_path / 'cli'}") as store:
        assert {p.number for p in list_policies(store)} >= {"338", "9338"}


def test_a_bulk_write_that_fails_leaves_the_store_as_it_was(tmp_path):
    with open_store(f"oxigraph:{tmp_path / 's'}") as store:
        assert isinstance(store, OxigraphStore)
        before = set(store._ox.quads_for_pattern(None, None, None))
        with pytest.raises(StoreError):
            store.bulk_add_graphs(b'<http://x/a> <http://x/p> "1" <http://x/g> .\n<broken', ["http://x/g"])
        assert set(store._ox.quads_for_pattern(None, None, None)) == before


def test_journal_left_by_a_kill_is_resolved_on_open(tmp_path):
    """A kill while the named graphs were loading leaves them pending: dropped. A kill while their
    union was loading leaves them written: kept, and the union completed."""
    path = tmp_path / "s"
    half, whole = "http://x/half/graph", "http://x/whole/graph"
    with open_store(f"oxigraph:{path}") as store:
        assert isinstance(store, OxigraphStore)
        store.replace_graph("http://x/old/graph", _graph("old"))
        raw = store._ox
        raw.update(bulk_journal_update([half], "pending"))
        raw.bulk_extend([ox.Quad(ox.NamedNode("http://x/half"), ox.NamedNode("http://x/p"), ox.Literal("1"),
                                 ox.NamedNode(half))])
        del raw  # the last handle: closing releases the store's lock
    with open_store(f"oxigraph:{path}") as store:
        assert isinstance(store, OxigraphStore)
        assert store.graph_iris() == ["http://x/old/graph"]
        assert union_is_kept(store)
        raw = store._ox
        raw.update(bulk_journal_update([whole], "written"))
        raw.bulk_extend([ox.Quad(ox.NamedNode("http://x/whole"), ox.NamedNode("http://x/p"), ox.Literal("2"),
                                 ox.NamedNode(whole))])
        del raw
    with open_store(f"oxigraph:{path}") as store:
        assert isinstance(store, OxigraphStore)
        assert store.graph_iris() == ["http://x/old/graph", whole]
        assert union_is_kept(store)
        assert next(store._ox.quads_for_pattern(None, None, None, ox.NamedNode(BULK_JOURNAL)), None) is None


def test_blank_nodes_stay_one_node_in_the_graph_and_the_union():
    """Oxigraph's loaders rename blank nodes; data holding any goes quad by quad instead."""
    with open_store("oxigraph:") as store:
        assert isinstance(store, OxigraphStore)
        data = b'_:n1 <http://x/p> "1" <http://x/g> .\n_:n1 <http://x/q> "2" <http://x/g> .\n'
        store.bulk_add_graphs(data, ["http://x/g"])
        assert union_is_kept(store)
        assert len({q.subject for q in store._ox.quads_for_pattern(None, None, None)}) == 1


def _graph(label: str):
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    graph.add((URIRef(f"http://x/{label}"), URIRef("http://x/p"), Literal(label)))
    return graph



@pytest.mark.parametrize("path", ["bulk-0", "bulk-2", "per-policy"])
def test_a_bug_on_one_document_skips_it_and_the_others_land(documents, tmp_path, monkeypatch, path):
    import explorer.ingest
    import explorer.pipeline

    real = explorer.ingest.parse_policy_file

    def parse(file, *args, **kwargs):
        if Path(file).name == "bcbsma-9338.txt":
            raise KeyError("a parser bug")
        return real(file, *args, **kwargs)

    monkeypatch.setattr(explorer.ingest, "parse_policy_file", parse)  # the bulk workers' import (forked)
    monkeypatch.setattr(explorer.pipeline, "parse_policy_file", parse)  # the per-policy path's
    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        if path == "per-policy":
            report = ingest_paths(store, [documents])
        else:
            report = ingest_paths_bulk(store, sorted(documents.iterdir()), workers=int(path[-1]))
        failed = {Path(f.path).name: f.error for f in report.failed}
        assert set(failed) == {"bcbsma-9338.txt", "broken.txt"}
        assert "internal error" in failed["bcbsma-9338.txt"] and "KeyError" in failed["bcbsma-9338.txt"]
        assert "\n" not in failed["bcbsma-9338.txt"]
        assert {p.number for p in list_policies(store)} >= {"338", "2.04.141"}
        assert "9338" not in {p.number for p in list_policies(store)}
