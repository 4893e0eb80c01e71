"""The bundled corpus cached on disk (issue 15 item 6): built once, opened as a private copy of the
cached store afterwards, rebuilt when a source changes or the cache is damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from explorer.corpus_cache import (
    COPIES_FOLDER,
    MANIFEST_FILE,
    STORE_FOLDER,
    SWEEP_AFTER_S,
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
    # copies are held by a lock on their folder: one whose process ended (even killed) is swept at
    # the next open; one held by a running process stays, and so does a folder too new to be held yet
    copies = cache / COPIES_FOLDER
    old = time.time() - 10 * SWEEP_AFTER_S
    left, fresh, held = copies / "copy-left", copies / "copy-fresh", copies / "copy-held"
    for folder in (left, fresh, held):
        folder.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(120)", str(held)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for folder in (left, held):
            os.utime(folder, (old, old))
        kept = open_cached_corpus([sources], cache_dir=cache, workers=0)
        assert not left.exists() and fresh.is_dir() and held.is_dir()
        assert kept.store.path is not None
        os.utime(kept.store.path, (old, old))
        open_cached_corpus([sources], cache_dir=cache, workers=0).store.close()
        assert kept.store.path.is_dir()  # this process holds it
    finally:
        holder.kill()
        holder.wait()
    open_cached_corpus([sources], cache_dir=cache, workers=0).store.close()
    assert not held.exists()  # its process was killed: the lock went with it


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


def test_a_cache_another_process_wrote_meanwhile_is_kept(sources, tmp_path):
    """Two processes building the same corpus at once: the second to finish keeps the first's cache
    (others may be copying it) unless it is the damaged one it saw and rebuilt."""
    from explorer.corpus_cache import _write

    cache = tmp_path / "cache"
    built = open_cached_corpus([sources], cache_dir=cache, workers=0)
    manifest = built.folder / MANIFEST_FILE
    first = manifest.stat().st_ino
    _write(built.store, cache, built.folder, built.key, 1, (), seen=None)  # saw no cache when it began
    assert manifest.stat().st_ino == first
    _write(built.store, cache, built.folder, built.key, 1, (), seen=manifest.read_text(encoding="utf-8"))
    assert manifest.stat().st_ino != first  # the cache it saw (and found damaged) is replaced
    again = open_cached_corpus([sources], cache_dir=cache, workers=0)
    assert not again.built and len(list_policies(again.store)) == 1
    again.store.close()
