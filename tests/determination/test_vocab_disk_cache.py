"""The vocabulary objects a coverage question reads (lexicon, disease taxonomy) are kept on disk
between processes, and an edited vocabulary is read anew (explorer/vocab/disk_cache.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.diagnoses import mapping
from explorer.resources import vocab_dir
from explorer.vocab import lexicon
from explorer.vocab.disk_cache import cache_dir, cached


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


def test_built_once_then_read_from_disk(cache_home, tmp_path):
    vocab = tmp_path / "v.ttl"
    vocab.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    calls, build = _counting({"terms": ("a", "b")})
    assert cached("test", [vocab], __name__, build) == {"terms": ("a", "b")}
    assert cached("test", [vocab], __name__, build) == {"terms": ("a", "b")}
    assert len(calls) == 1
    assert cache_dir().is_relative_to(cache_home) and len(list(cache_dir().glob("test-*.pickle"))) == 1


def test_an_edited_vocabulary_is_read_anew(cache_home, tmp_path):
    vocab = tmp_path / "v.ttl"
    vocab.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    calls, build = _counting("old")
    cached("test", [vocab], __name__, build)
    vocab.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    calls2, build2 = _counting("new")
    assert cached("test", [vocab], __name__, build2) == "new" and calls2 == [1]


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    vocab = tmp_path / "v.ttl"
    vocab.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    calls, build = _counting(1)
    assert cached("test", [vocab], __name__, build) == 1
    assert cached("test", [vocab], __name__, build) == 1 and len(calls) == 2


def test_a_damaged_cache_file_is_rebuilt(cache_home, tmp_path):
    vocab = tmp_path / "v.ttl"
    vocab.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    cached("test", [vocab], __name__, lambda: "value")
    (file,) = cache_dir().glob("test-*.pickle")
    file.write_bytes(b"\x80\x05not a pickle")
    assert cached("test", [vocab], __name__, lambda: "again") == "again"


def test_the_lexicon_and_taxonomy_from_the_cache_are_the_ones_read(cache_home, tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(vocab_dir(), folder)
    for _ in range(2):  # built, then from disk
        assert lexicon.load_lexicon(folder) == lexicon._read(folder.resolve())
        assert mapping.load_taxonomy(folder) == mapping._read(folder.resolve())
        lexicon._load.cache_clear()
        mapping._load.cache_clear()
    assert {p.name.split("-")[0] for p in cache_dir().glob("*.pickle")} == {"lexicon", "diseases"}
    found = lexicon.load_lexicon(folder).diseases.find("relapsed chronic myelogenous leukemia")
    assert [m.term.slug for m in found] == ["chronic-myeloid-leukemia"]
