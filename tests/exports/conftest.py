"""The seed policy ingested once into an in-memory store for every export test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.pipeline import ingest_paths
from explorer.store import open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def export_store(seed_web_path: Path) -> Iterator[object]:
    store = open_store("memory:")
    report = ingest_paths(store, [seed_web_path])
    assert report.ok, report.failed
    yield store
    store.close()
