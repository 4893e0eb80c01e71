"""Opening stores: URL schemes, persistence on disk, and a clear error for a locked directory."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.compare import isomorphic

from explorer.errors import StoreError
from explorer.store import PolicyStore, open_store

EX = Namespace("http://example.org/")
G = "https://w3id.org/policy-explorer/test/graph/1"


def sample() -> Graph:
    g = Graph()
    g.add((EX.a, EX.title, Literal("persisted", lang="en")))
    return g


@pytest.mark.parametrize("prefix", ["oxigraph:", ""], ids=["oxigraph-url", "bare-path"])
def test_disk_store_persists_across_reopen(tmp_path: Path, prefix: str) -> None:
    url = prefix + str(tmp_path / "store")
    with open_store(url) as store:
        assert store.url == url
        store.replace_graph(G, sample())
    with open_store(url) as reopened:
        assert reopened.graph_iris() == [G]
        assert isomorphic(reopened.get_graph(G), sample())


def test_locked_directory_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = textwrap.dedent(
        f"""
        import sys, pyoxigraph
        store = pyoxigraph.Store({str(path)!r})
        print("ready", flush=True)
        sys.stdin.read()
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="locked") as caught:
            open_store(f"oxigraph:{path}")
        assert str(path) in str(caught.value)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


@pytest.mark.parametrize("url", ["ftp://example.org/store", "memory:extra", "sparql:not-a-url", ""])
def test_bad_urls_raise_store_error_naming_the_url(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert repr(url) in str(caught.value) or url == ""


def test_unreachable_sparql_endpoint_names_the_url() -> None:
    store = open_store("sparql:http://127.0.0.1:9/sparql")
    with pytest.raises(StoreError, match="127.0.0.1:9"):
        store.graph_iris()


def test_closed_store_refuses_use() -> None:
    store = open_store("memory:")
    assert isinstance(store, PolicyStore)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.graph_iris()


def test_oxigraph_store_is_readable_through_rdflib_dataset_api(tmp_path, seed_web_path):
    """oxrdflib exposes the same on-disk store to rdflib-based tools (the rdflib API stays)."""
    from rdflib import URIRef

    from explorer.model import POL
    from explorer.pipeline import ingest_paths

    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        ingest_paths(store, [seed_web_path], reason=False)
        dataset = store.rdflib_dataset()
        graph = dataset.graph(URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"))
        statements = set(graph.subjects(predicate=POL.hasStatus))
        assert len(statements) == 4
        assert len(graph) == len(store.get_graph("https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph"))


@pytest.mark.parametrize(
    ("url", "backend", "on_disk"),
    [
        ("memory:", "RdflibStore", False),
        ("oxigraph:", "OxigraphStore", False),
        ("oxigraph:{dir}", "OxigraphStore", True),
    ],
)
def test_each_scheme_opens_its_backend(tmp_path: Path, url: str, backend: str, on_disk: bool) -> None:
    """memory: is rdflib, oxigraph: alone is Oxigraph in memory, oxigraph:PATH is Oxigraph on disk."""
    directory = tmp_path / "store"
    with open_store(url.format(dir=directory)) as store:
        assert type(store).__name__ == backend
        store.replace_graph(G, sample())
        assert store.stats() == {"graphs": 1, "triples": 1}
    assert directory.exists() is on_disk
