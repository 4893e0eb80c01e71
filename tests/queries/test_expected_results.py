"""Every catalog query on the seed equals its expected-results file (rows in order), on each engine."""

from __future__ import annotations

import json

import pytest

from explorer.query.catalog import load_query_file
from explorer.query.runner import run_query
from tests.queries.conftest import EXPECTED, QUERIES, rows_as_text

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")

CASES = sorted(EXPECTED.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_query_matches_expected(store, path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    query = load_query_file(QUERIES / f"{path.stem}.rq")
    result = run_query(store, query, expected["params"])
    assert list(result.columns) == expected["columns"]
    assert not result.truncated
    assert rows_as_text(result) == expected["rows"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_expected_quotes_are_the_source_text_at_their_offsets(seed_text: str, path) -> None:
    """The expected files are checked against the document, not only against the queries' output."""
    expected = json.loads(path.read_text(encoding="utf-8"))
    columns = expected["columns"]
    if "quote" not in columns:
        pytest.skip("no source quote in this query")
    q, s, e = columns.index("quote"), columns.index("start"), columns.index("end")
    for row in expected["rows"]:
        assert seed_text[int(row[s]) : int(row[e])] == row[q]
