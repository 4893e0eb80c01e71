"""The seed policy in a real store, and the same graphs on rdflib, for the catalog tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import XSD, Literal
from rdflib.term import Node

from explorer.query.runner import QueryResult
from tests.queries._dev_store import RdflibStore, ValuesBlockStore, seed_graphs

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
QUERIES = ROOT / "queries"
EXPECTED = ROOT / "tests" / "fixtures" / "expected" / "queries"

_DECIMALS = {XSD.decimal, XSD.double, XSD.float}


def _ingested_seed(url: str) -> Iterator[object]:
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    store = open_store(url)
    report = ingest_paths(store, [SEED])
    assert report.ok, report.failed
    yield store
    store.close()


@pytest.fixture(scope="session")
def oxigraph_store() -> Iterator[object]:
    """``open_store("oxigraph:")`` (Oxigraph in memory) holding the ingested, reasoned seed."""
    yield from _ingested_seed("oxigraph:")


@pytest.fixture(scope="session")
def memory_store() -> Iterator[object]:
    """``open_store("memory:")`` (rdflib Dataset, parameters as initBindings) holding the seed."""
    yield from _ingested_seed("memory:")


@pytest.fixture(scope="session")
def owlrl_store() -> RdflibStore:
    """The seed's asserted, vocabulary and owlrl-inferred graphs on plain rdflib, built without
    ``explorer.pipeline`` or ``explorer.reason``: an independent check of both."""
    return RdflibStore(seed_graphs(SEED))


@pytest.fixture(scope="session")
def values_store(oxigraph_store: object) -> ValuesBlockStore:
    """The Oxigraph store again, but parameters arrive as a VALUES block in the query text, as the
    ``sparql:`` store sends them to Virtuoso and other servers."""
    return ValuesBlockStore(oxigraph_store)


@pytest.fixture(scope="session", params=["oxigraph", "memory", "owlrl", "values"])
def store(request: pytest.FixtureRequest) -> object:
    """Every catalog test runs on each store and each way of binding parameters: Oxigraph
    (VALUES), the rdflib memory: store (initBindings), an independently built rdflib dataset, and
    the VALUES block as text."""
    return request.getfixturevalue(f"{request.param}_store")


def cell(term: Node | None) -> str:
    """A result cell as text: unbound is "", numbers with a decimal point as Python floats print."""
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype in _DECIMALS:
        return repr(float(term))
    return str(term)


def rows_as_text(result: QueryResult) -> list[list[str]]:
    return [[cell(term) for term in row] for row in result.rows]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
