"""Shared pieces for the attack tests: a store snapshot and a loopback server that records hits."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cliutil import run


def stats(store_url: str) -> dict[str, int]:
    """Graph and triple counts: cheap, checked after every attack (``snapshot`` once per module)."""
    from explorer.store import open_store

    with open_store(store_url) as store:
        return store.stats()


def snapshot(store_url: str) -> tuple[str, dict[str, int]]:
    """Everything an attack could change: every graph's quads (N-Quads export) and the store stats."""
    from explorer.store import open_store

    result = run("export", "--format", "nq", "--inferred", "--vocabulary", store=store_url)
    assert result.exit_code == 0, result.stderr
    with open_store(store_url) as store:
        stats = store.stats()
    return result.stdout, stats


@pytest.fixture
def attacked_store(seed_store: Path, tmp_path: Path) -> str:
    """A private copy of the seeded on-disk store (attacks that succeed must not spoil other tests)."""
    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    return f"oxigraph:{copy}"


@dataclass
class Recorder:
    """A loopback HTTP server; ``hits`` lists every request line it received."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Recorder(f"http://127.0.0.1:{server.server_port}/", hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
