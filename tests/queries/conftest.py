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


@pytest.fixture(scope="session")
def memory_store() -> Iterator[object]:
    """``open_store("memory:")`` (Oxigraph, bindings as substitutions) holding the ingested seed."""
    from explorer.corpus import ingest_paths
    from explorer.store import open_store

    store = open_store("memory:")
    report = ingest_paths(store, [SEED])
    assert report.ok, report.failed
    yield store
    store.close()


@pytest.fixture(scope="session")
def rdflib_store() -> RdflibStore:
    """The seed's asserted, vocabulary and owlrl-inferred graphs on rdflib (initBindings)."""
    return RdflibStore(seed_graphs(SEED))


@pytest.fixture(scope="session")
def values_store(memory_store: object) -> ValuesBlockStore:
    """The memory store again, but parameters arrive as a VALUES block in the query text, as the
    ``sparql:`` store sends them to Virtuoso and other servers."""
    return ValuesBlockStore(memory_store)


@pytest.fixture(scope="session", params=["memory", "rdflib", "values"])
def store(request: pytest.FixtureRequest) -> object:
    """Every catalog test runs on each way of binding parameters: Oxigraph substitutions (the
    memory store), rdflib initBindings, and a VALUES block in the text (the sparql: store)."""
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
