"""A seeded store served over real HTTP on a free loopback port, one server per limits setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.endpoint import EndpointConfig
from explorer.pipeline import ingest_paths
from explorer.query.limits import QueryLimits
from explorer.store import open_store
from tests.endpoint.http import Served, serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seeded_store(seed_web_path: Path) -> Iterator[object]:
    store = open_store("memory:")
    report = ingest_paths(store, [seed_web_path])
    assert report.ok, report.failed
    yield store
    store.close()


def _serve(store: object, config: EndpointConfig) -> Iterator[Served]:
    with serve(store, config) as served:
        yield served


@pytest.fixture(scope="session")
def endpoint(seeded_store: object) -> Iterator[Served]:
    """Default limits, queries stopped in a forked process (as the CLI does for local stores)."""
    yield from _serve(seeded_store, EndpointConfig(limits=QueryLimits(isolation="process")))


@pytest.fixture(scope="session")
def tight_endpoint(seeded_store: object) -> Iterator[Served]:
    """A row limit of 5 and a 2 KB request body limit."""
    limits = QueryLimits(max_rows=5, isolation="process")
    yield from _serve(seeded_store, EndpointConfig(limits=limits, max_body_bytes=2048))


@pytest.fixture(scope="session")
def short_time_endpoint(seeded_store: object) -> Iterator[Served]:
    """A 2 s time limit."""
    yield from _serve(seeded_store, EndpointConfig(limits=QueryLimits(timeout_s=2.0, isolation="process")))
