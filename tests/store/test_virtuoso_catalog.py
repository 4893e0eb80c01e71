"""The seed policy ingested into Virtuoso answers every catalog query with the expected rows, and
a coverage determination exactly as on Oxigraph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.determination import determine
from explorer.pipeline import ingest_paths
from explorer.query.catalog import load_query_file
from explorer.query.runner import run_query
from explorer.store import PolicyStore, open_store
from tests.queries.conftest import EXPECTED, QUERIES, SEED, rows_as_text
from tests.store.virtuoso import VirtuosoServer

pytestmark = pytest.mark.virtuoso

CASES = sorted(EXPECTED.glob("*.json"))
COVERAGE = {"code": "38242", "diagnosis": "C92.10", "product": "Medicare PPO Blue", "setting": "outpatient"}
# Virtuoso 7.2 sorts ORDER BY LCASE(STR(?x)) and long literals sharing a prefix in no useful order;
# the catalog sorts by STR(LCASE(?x)) and STR(?x) instead, the same keys on every store.


@pytest.fixture(scope="module")
def seeded(virtuoso: VirtuosoServer) -> Iterator[PolicyStore]:
    with open_store("sparql:" + virtuoso.sparql_url) as store:
        for iri in store.graph_iris():
            store.remove_graph(iri)
        report = ingest_paths(store, [SEED])
        assert report.ok, report.failed
        yield store


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyStore]:
    with open_store("oxigraph:" + str(tmp_path_factory.mktemp("oxigraph") / "s")) as store:
        report = ingest_paths(store, [SEED])
        assert report.ok, report.failed
        yield store


def _expected(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_catalog_query_matches_expected_on_virtuoso(seeded: PolicyStore, path: Path) -> None:
    expected = _expected(path)
    result = run_query(seeded, load_query_file(QUERIES / f"{path.stem}.rq"), expected["params"])
    assert list(result.columns) == expected["columns"]
    assert not result.truncated
    assert rows_as_text(result) == expected["rows"]


def test_determination_as_on_oxigraph(seeded: PolicyStore, reference: PolicyStore) -> None:
    on_virtuoso = determine(seeded, **COVERAGE).to_json()
    assert on_virtuoso == determine(reference, **COVERAGE).to_json()
    assert on_virtuoso["determination"] == "medically-necessary"
