"""A seeded store served over real HTTP on a free loopback port, one server per limits setting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.corpus import ingest_paths
from explorer.endpoint import EndpointConfig, make_app, make_http_server, server_url
from explorer.query.limits import QueryLimits
from explorer.store import open_store

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Served:
    url: str        # http://127.0.0.1:PORT/sparql
    base: str       # http://127.0.0.1:PORT
    store: object


@pytest.fixture(scope="session")
def seeded_store() -> Iterator[object]:
    store = open_store("memory:")
    report = ingest_paths(store, [ROOT / "data" / "policies"])
    assert report.ok, report.failed
    yield store
    store.close()


def _serve(store: object, config: EndpointConfig) -> Iterator[Served]:
    server = make_http_server(make_app(store, config), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = server_url(server)
    try:
        yield Served(url, url.removesuffix("/sparql"), store)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


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
