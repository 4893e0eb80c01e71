"""Versions of one policy met in one bulk batch are decided in the batch (``explorer.bulk_batch``):
whatever their order, the store and the report are what the per-policy path writes one document
after the other: the newest version current, earlier ones kept in version graphs outside the union,
each dated version linked to the one before it, a version rendered again replacing its earlier
rendering, an undated document replacing whatever is current."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from explorer.model.iris import VERSION_GRAPH_PREFIX
from explorer.pipeline import ingest_paths, list_policies
from explorer.pipeline_bulk import BulkStats, build_document, ingest_paths_bulk
from explorer.store import open_store
from explorer.store.oxigraph_store import OxigraphStore
from explorer.versions.store import stored_versions
from tests.store.test_bulk import quads

HEAD = "4/2019\tPrior authorization information clarified."


def _dated(seed: str, row: str) -> str:
    """The seed with one more history row on top (a later date names a later version)."""
    assert HEAD in seed
    return seed.replace(HEAD, row + "\n" + HEAD, 1)


@pytest.fixture(scope="module")
def versions(seed_web_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Five documents of the seed policy: three dated versions, the middle one rendered twice (one
    word changed), and one with its history removed (undated)."""
    seed = seed_web_path.read_text(encoding="utf-8")
    start, end = seed.index("\nPolicy History\n"), seed.index("\nInformation Pertaining to All")
    middle = _dated(seed, "1/2025\tAnnual policy review.")
    texts = {"oldest": seed, "middle": middle, "newest": _dated(seed, "1/2030\tAnnual policy review."),
             "middle-again": middle.replace("Donor Lymphocyte Infusion", "Donor Lymphocyte Infusion (DLI)", 1),
             "undated": seed[:start] + seed[end:]}
    folder = tmp_path_factory.mktemp("versions")
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.txt" for name in texts}


def _union_is_the_current_graphs(store: OxigraphStore) -> bool:
    raw = store._ox
    default = {q.triple for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    union = {q.triple for q in raw.quads_for_pattern(None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(VERSION_GRAPH_PREFIX)}
    return default == union


ORDERS = [("oldest", "middle", "newest"), ("newest", "oldest", "middle"), ("middle", "newest", "oldest"),
          ("newest", "middle", "middle-again", "oldest"), ("middle-again", "oldest", "middle", "newest"),
          ("undated", "newest", "oldest"), ("newest", "undated", "middle"), ("oldest", "newest", "undated")]
ORDERS += [order for order in permutations(("oldest", "middle", "newest", "middle-again"))][::7]


@pytest.mark.parametrize("order", ORDERS, ids="+".join)
def test_versions_in_one_batch_give_the_per_policy_store_and_report(versions, seed_web_path, order):
    documents = [versions[name] for name in order]
    with open_store("oxigraph:") as one, open_store("oxigraph:") as bulk:
        assert isinstance(one, OxigraphStore) and isinstance(bulk, OxigraphStore)
        expected = ingest_paths(one, documents, reason=False)
        stats = BulkStats()
        got = ingest_paths_bulk(bulk, documents, workers=0, reason=False, stats=stats)
        assert got.ok and got.ingested == expected.ingested
        assert (stats.batches, stats.merged, stats.replaced) == (1, len(order) - 1, 0)
        policy = URIRef(got.ingested[0].iri)
        assert stored_versions(bulk, policy) == stored_versions(one, policy)
        assert quads(bulk) == quads(one)
        assert _union_is_the_current_graphs(bulk)
        assert list_policies(bulk) == list_policies(one)


@pytest.mark.parametrize("bound", ["one document", "under half a document"])
def test_a_full_batch_waits_for_the_next_version_of_its_policy_up_to_twice_its_bound(versions, bound):
    """A batch full after the first version still takes the second, next in line; one already at
    twice its bound is written first (the second version then takes the per-policy path)."""
    documents = [versions["newest"], versions["oldest"]]
    size = len(build_document(str(documents[0]), reason=False).nquads)
    with open_store("oxigraph:") as one, open_store("oxigraph:") as bulk:
        expected = ingest_paths(one, documents, reason=False)
        stats = BulkStats()
        got = ingest_paths_bulk(bulk, documents, workers=0, reason=False, stats=stats,
                                batch_bytes=size if bound == "one document" else size // 2 - 1)
        assert got.ingested == expected.ingested
        assert quads(bulk) == quads(one)
        if bound == "one document":
            assert (stats.batches, stats.merged, stats.replaced) == (1, 1, 0)
        else:
            assert (stats.batches, stats.merged, stats.replaced) == (1, 0, 1)


def test_a_version_after_its_batch_was_written_takes_the_replace_path(versions, tmp_path):
    """Batches of one document, another policy between two versions: the second version meets the
    first in the store, not in a batch, and is written by the per-policy path."""
    other = tmp_path / "other.txt"
    seed = versions["oldest"].read_text(encoding="utf-8")
    other.write_text(seed.replace("Policy Number: 338", "Policy Number: 9338"), encoding="utf-8")
    documents = [versions["newest"], other, versions["oldest"]]
    with open_store("oxigraph:") as one, open_store("oxigraph:") as bulk:
        assert isinstance(one, OxigraphStore) and isinstance(bulk, OxigraphStore)
        expected = ingest_paths(one, documents, reason=False)
        stats = BulkStats()
        got = ingest_paths_bulk(bulk, documents, workers=0, reason=False, batch_bytes=1, stats=stats)
        assert got.ingested == expected.ingested
        assert (stats.batches, stats.merged, stats.replaced) == (2, 0, 1)
        assert quads(bulk) == quads(one)


def test_kept_versions_stay_out_of_the_union_with_blank_nodes_too(versions):
    """A batch holding a blank node is written quad by quad: an earlier version's graph is still
    kept out of the default graph."""
    with open_store("oxigraph:") as bulk:
        assert isinstance(bulk, OxigraphStore)
        version = "https://w3id.org/policy-explorer/graph/version/bcbsma/338/2019-04"
        nquads = (f'_:b <http://example.org/p> "x" <{version}> .\n'
                  '_:b <http://example.org/p> "y" <https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph> .\n')
        bulk.bulk_add_graphs(nquads.encode(), [version, "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"])
        default = [q.object.value for q in bulk._ox.quads_for_pattern(None, None, None, ox.DefaultGraph())]
        assert default == ["y"]
