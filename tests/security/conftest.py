"""Shared pieces for the attack tests: a store snapshot, a loopback server that records hits, and a
policy document whose title, statements and references carry live-looking markup."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cliutil import run

#: Markup that a browser would run if it were ever written into a page unescaped.
XSS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)")
HOSTILE_TITLE = ("Donor Lymphocyte Infusion for Malignancies Treated with an Allogeneic Hematopoietic Cell "
                 "Transplant <script>alert(1)</script>")
HOSTILE_STATEMENT = 'Genetic modification "><img src=x onerror=alert(1)> of donor lymphocytes is INVESTIGATIONAL.'
HOSTILE_REFERENCE_TITLE = ("<script>alert(1)</script> Role of donor lymphocyte infusions in relapsed hematological "
                           "malignancies after stem cell transplantation revisited")


def hostile_text(seed: str) -> str:
    """The seed policy with markup in its title, a statement, a reference title and a reference URL."""
    title = "Donor Lymphocyte Infusion for Malignancies Treated with an Allogeneic Hematopoietic Cell Transplant"
    text = seed.replace(title, title + " <script>alert(1)</script>", 1)
    text = text.replace("Genetic modification of donor lymphocytes is",
                        'Genetic modification "><img src=x onerror=alert(1)> of donor lymphocytes is', 1)
    text = text.replace("Role of donor lymphocyte infusions",
                        "<script>alert(1)</script> Role of donor lymphocyte infusions", 1)
    return text.replace("http://www.nccn.org/professionals/physician_gls/pdf/cml.pdf", "javascript:alert(1)", 1)


@pytest.fixture(scope="session")
def hostile_store(seed_web_path: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    """An in-memory store holding only the hostile rendering of the seed policy (not reasoned)."""
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    path = tmp_path_factory.mktemp("xss") / "bcbsma-338-hostile.txt"
    path.write_text(hostile_text(seed_web_path.read_text(encoding="utf-8")), encoding="utf-8")
    store = open_store("memory:")
    report = ingest_paths(store, [path], reason=False)
    assert report.ok, report.failed
    return store


def stats(store_url: str) -> dict[str, int]:
    """Graph and triple counts: cheap, checked after every attack (``snapshot`` once per module)."""
    from explorer.store import open_store

    with open_store(store_url) as store:
        return store.stats()


def quads(store_url: str) -> frozenset[str]:
    """Every quad of an on-disk Oxigraph store (read-only, so it also shows a store left locked or
    damaged): compared inside each attack test, before and after."""
    import pyoxigraph

    path = store_url.removeprefix("oxigraph:")
    return frozenset(str(q) for q in pyoxigraph.Store.read_only(path))


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
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Recorder(f"http://127.0.0.1:{server.server_port}/", hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
