"""Store fixtures: every conformance test runs on memory:, oxigraph:DIR and (if installed) Virtuoso."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.store import PolicyStore, open_store
from explorer.store.sparql_store import SparqlStore
from tests.store.virtuoso import VirtuosoServer, binaries, virtuoso_server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    if binaries() is None:
        pytest.skip("Virtuoso not installed (apt-get install virtuoso-opensource provides virtuoso-t)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(
    params=[
        "memory",
        "oxigraph",
        pytest.param("sparql", marks=pytest.mark.virtuoso),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PolicyStore]:
    if request.param == "memory":
        url = "memory:"
    elif request.param == "oxigraph":
        url = f"oxigraph:{tmp_path / 'store'}"
    else:
        url = "sparql:" + request.getfixturevalue("virtuoso").sparql_url
    with open_store(url) as opened:
        for iri in opened.graph_iris():  # the Virtuoso server is shared by the session
            opened.remove_graph(iri)
        yield opened


@pytest.fixture
def vstore(virtuoso: VirtuosoServer) -> Iterator[SparqlStore]:
    """A ``sparql:`` store on the session's Virtuoso, emptied of graphs (and of temporary graphs
    a failed write may have left)."""
    with open_store("sparql:" + virtuoso.sparql_url) as store:
        assert isinstance(store, SparqlStore)
        store.drop_temporary_graphs()
        for iri in store.graph_iris():
            store.remove_graph(iri)
        yield store
