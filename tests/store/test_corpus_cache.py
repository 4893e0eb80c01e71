"""The bundled corpus cached on disk (issue 15 item 6): built once, opened as a private copy of the
cached store afterwards, rebuilt when a source changes or the cache is damaged."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from explorer.corpus_cache import (
    COPIES_FOLDER,
    MANIFEST_FILE,
    STORE_FOLDER,
    corpus_key,
    corpus_store,
    open_cached_corpus,
)
from explorer.pipeline import list_policies
from explorer.store.oxigraph_store import OxigraphStore
from explorer.store.rdflib_store import RdflibStore
from tests.store.test_bulk import quads, union_is_kept

SEED = (Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "policies"
        / "bcbsma-338-donor-lymphocyte-infusion.pdf-text.txt")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def test_built_once_then_loaded_from_the_cache(sources, tmp_path):
    cache = tmp_path / "cache"
    first = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert first.built and first.why == "no cache" and first.policies == 1
    second = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert not second.built and second.why == "cached" and second.key == first.key
    assert isinstance(first.store, OxigraphStore) and isinstance(second.store, OxigraphStore)
    assert quads(second.store) == quads(first.store)
    assert union_is_kept(second.store)
    assert list_policies(second.store) == list_policies(first.store)


def _cached_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / STORE_FOLDER).iterdir()}


def test_the_loaded_store_is_a_copy(sources, tmp_path):
    cache = tmp_path / "cache"
    open_cached_corpus([sources], cache_dir=cache, workers=0)
    opened = open_cached_corpus([sources], cache_dir=cache, workers=0)
    before = _cached_files(opened.folder)
    for iri in opened.store.graph_iris():
        opened.store.remove_graph(iri)
    assert not list_policies(opened.store)
    assert _cached_files(opened.folder) == before
    again = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert not again.built and len(list_policies(again.store)) == 1


def test_a_copy_goes_when_its_store_is_closed_or_its_process_died(sources, tmp_path):
    cache = tmp_path / "cache"
    open_cached_corpus([sources], cache_dir=cache, workers=0)
    opened = open_cached_corpus([sources], cache_dir=cache, workers=0)
    copy = opened.store.path
    assert copy is not None and copy.parent == cache / COPIES_FOLDER and copy.is_dir()
    opened.store.close()
    assert not copy.exists()
    # a copy a process of this host left when it died (here: a process that ran and ended) is swept
    # at the next open; one of a running process (this one) stays, and so does another host's
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    left = cache / COPIES_FOLDER / f"{ended.stdout.strip()}.{socket.gethostname()}.left"
    elsewhere = cache / COPIES_FOLDER / f"{ended.stdout.strip()}.another-host.left"  # a container's
    left.mkdir()
    elsewhere.mkdir()
    kept = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert not left.exists() and elsewhere.is_dir()
    assert kept.store.path is not None and kept.store.path.is_dir()
    open_cached_corpus([sources], cache_dir=cache, workers=0).store.close()
    assert kept.store.path.is_dir()


@pytest.mark.parametrize("damage", ["truncated", "flipped", "manifest", "missing file", "extra file"])
def test_a_damaged_cache_is_rebuilt(sources, tmp_path, damage):
    cache = tmp_path / "cache"
    folder = open_cached_corpus([sources], cache_dir=cache, workers=0).folder
    data = max((folder / STORE_FOLDER).glob("*.sst"), key=lambda p: p.stat().st_size)
    if damage == "truncated":
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    elif damage == "flipped":
        raw = bytearray(data.read_bytes())
        raw[len(raw) // 2] ^= 0x20
        data.write_bytes(bytes(raw))
    elif damage == "manifest":
        (folder / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    elif damage == "missing file":
        data.unlink()
    else:  # the manifest names a file the store does not have
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        manifest["files"]["000999.sst"] = [1, "0" * 64]
        (folder / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    rebuilt = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert rebuilt.built and rebuilt.why != "cached"
    assert len(list_policies(rebuilt.store)) == 1
    assert not any((cache / COPIES_FOLDER).glob("*"))  # no copy of the damaged cache left behind
    again = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert not again.built  # and cached again
    again.store.close()


def test_a_changed_source_makes_the_cache_stale(sources, tmp_path):
    cache = tmp_path / "cache"
    old = open_cached_corpus([sources], cache_dir=cache, workers=0)
    document = sources / SEED.name
    document.write_text(document.read_text(encoding="utf-8").replace("Policy Number: 338", "Policy Number: 7338"),
                        encoding="utf-8")
    assert corpus_key([document]) != old.key
    new = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert new.built and new.why == "stale"
    assert [p.number for p in list_policies(new.store)] == ["7338"]
    assert [p.name for p in cache.iterdir()] == [new.folder.name]  # the stale cache is gone


def test_an_unwritable_cache_still_gives_the_corpus(sources, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    opened = open_cached_corpus([sources], cache_dir=blocker / "cache", workers=0)
    assert opened.built and len(list_policies(opened.store)) == 1


def test_a_cache_no_copy_can_be_made_of_still_gives_the_corpus(sources, tmp_path, monkeypatch):
    """A cache folder where no private copy can be written (read-only, full): built instead."""
    cache = tmp_path / "cache"
    open_cached_corpus([sources], cache_dir=cache, workers=0)

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("explorer.corpus_cache.tempfile.mkdtemp", refused)
    opened = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert opened.built and "cannot copy the cache" in opened.why and "Permission denied" in opened.why
    assert len(list_policies(opened.store)) == 1


def test_corpus_store_caches_only_the_in_memory_default(monkeypatch, tmp_path, sources):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    # the bundled folder stood for by the seed: the default path is tested, not the bundle's build
    monkeypatch.setattr("explorer.resources.policies_dir", lambda: sources)
    store = corpus_store("oxigraph:")
    assert isinstance(store, OxigraphStore) and list_policies(store)
    manifest = json.loads(next((tmp_path / "xdg").rglob(MANIFEST_FILE)).read_text(encoding="utf-8"))
    assert manifest["policies"] == 1 and manifest["quads"] == store.quad_count()
    assert isinstance(corpus_store("memory:"), RdflibStore)
    on_disk = corpus_store(f"oxigraph:{tmp_path / 'disk'}")
    assert not on_disk.graph_iris()  # another store: opened as it is (the app ingests into it)
    on_disk.close()


def test_blank_nodes_survive_the_cache(sources, tmp_path):
    """The vocabulary's blank nodes (OWL restrictions) are one node in their graph and in the union."""
    opened = open_cached_corpus([sources], cache_dir=tmp_path / "cache", workers=0)
    again = open_cached_corpus([sources], cache_dir=tmp_path / "cache", workers=0)
    assert isinstance(again.store, OxigraphStore)
    raw = again.store._ox
    assert any(isinstance(q.subject, ox.BlankNode) for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert union_is_kept(again.store)
    assert again.store.quad_count() == opened.store.quad_count()  # type: ignore[attr-defined]


def test_the_cache_keeps_earlier_versions_out_of_the_union(sources, tmp_path):
    """Two dated Molina documents in the corpus: built (bulk path, name order: older first), the
    newer is current and the older kept; loaded from the cache, the same, and the default graph is
    still the union of the current graphs only."""
    from explorer.versions.store import stored_versions
    from tests.store.test_versions_ingest import PAIRS, REAL, _union_is_the_current_graphs

    for name in PAIRS["molina"]:
        shutil.copy(REAL / name, sources / name)
    cache = tmp_path / "cache"
    built = open_cached_corpus([sources], cache_dir=cache, workers=0)
    loaded = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert built.built and not loaded.built and built.policies == 3
    policy = "https://w3id.org/policy-explorer/id/policy/molina/051"
    for opened in (built, loaded):
        versions = stored_versions(opened.store, policy)
        assert [(v.date, v.current) for v in versions] == [("2025-02-12", False), ("2026-02-11", True)]
        assert _union_is_the_current_graphs(opened.store)
        assert sorted(p.number for p in list_policies(opened.store)) == ["051", "338"]  # no policy twice
    assert quads(loaded.store) == quads(built.store)
