"""The catalog's files: exactly the required names, and each header consistent with its query."""

from __future__ import annotations

import re

import pytest

from explorer.query.catalog import load_catalog, load_query_file
from explorer.query.runner import check_query
from tests.queries.conftest import EXPECTED, QUERIES

REQUIRED = {
    "policies",
    "coverage-statements",
    "investigational-indications",
    "prior-authorization",
    "codes",
    "references",
    "references-without-pmid",
    "evidence-for-disease",
    "citations",
    "policy-history",
    "diseases",
    "figures",
}
EXTRAS: set[str] = {"policies-citing-pmid", "policy-versions"}
# Earlier policy versions are named graphs outside the union every query reads: the one query
# that lists them names graphs (GRAPH ?g, every graph the store has; no FROM).
READS_NAMED_GRAPHS = {"policy-versions"}
RQ_FILES = sorted(QUERIES.glob("*.rq"))


def test_catalog_has_exactly_the_required_queries() -> None:
    assert set(load_catalog(QUERIES)) == REQUIRED | EXTRAS


@pytest.mark.parametrize("path", RQ_FILES, ids=lambda p: p.stem)
def test_header_matches_query(path) -> None:
    query = load_query_file(path)
    checked = check_query(query)
    assert checked.kind == "select"
    assert query.title and query.description and query.columns


@pytest.mark.parametrize("path", RQ_FILES, ids=lambda p: p.stem)
def test_query_is_portable(path) -> None:
    """No dataset clauses (the store's default graph is the union) and no engine-specific functions."""
    text = path.read_text(encoding="utf-8").upper()
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    words = ("FROM", "SERVICE", "LOAD") if path.stem in READS_NAMED_GRAPHS else ("GRAPH", "FROM", "SERVICE", "LOAD")
    for word in words:
        assert not re.search(rf"(?<![?$:\w]){word}\b", body), f"{path.name} uses {word}"
    for prefix in ("<HTTP://JENA", "<HTTP://WWW.OPENLINKSW", "BIF:", "SQL:", "OFN:", "<HTTP://OXIGRAPH"):
        assert prefix not in body, f"{path.name} uses an engine-specific function ({prefix})"


def test_every_query_has_an_expected_file() -> None:
    expected = {p.stem for p in EXPECTED.glob("*.json")}
    assert expected == {p.stem for p in RQ_FILES}
