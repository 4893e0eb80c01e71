"""Issue 15 item 3: Oxigraph rows stay engine terms until someone asks for rdflib ones (the output
is the same either way), pages of rows with their total, and the guard's cache of accepted texts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from explorer.errors import QueryError
from explorer.query.catalog import load_catalog
from explorer.query.formats import to_delimited, to_json, to_table_rows
from explorer.query.plain import PlainRows
from explorer.query.runner import run_query
from explorer.sparql.guard import check_read_only
from tests.cliutil import run

CATALOG = sorted(load_catalog().items())
PARAMS = {"evidence-for-disease": {"disease": "multiple myeloma"}, "policies-citing-pmid": {"pmid": "17361226"}}


@pytest.mark.parametrize(("name", "query"), CATALOG, ids=[n for n, _ in CATALOG])
def test_engine_terms_print_as_rdflib_terms_do(oxigraph_store, name, query) -> None:
    result = run_query(oxigraph_store, query, PARAMS.get(name, {}))
    assert isinstance(result.rows, PlainRows)
    assert result.rows, f"{name}: the seed gives rows"
    converted = replace(result, rows=tuple(result.rows))  # rdflib terms, the slow path's output
    assert to_json(result) == to_json(converted)
    assert to_delimited(result) == to_delimited(converted)
    assert to_table_rows(result) == to_table_rows(converted)


@pytest.mark.parametrize("store_name", ["oxigraph_store", "memory_store"])
def test_a_page_is_the_slice_and_the_total_counts_every_row(request, store_name) -> None:
    store = request.getfixturevalue(store_name)
    query = load_catalog()["references"]
    whole = run_query(store, query)
    assert len(whole.rows) == 28  # the seed's reference list has 28 entries
    page = run_query(store, query, offset=5, limit=4)
    assert list(page.rows) == list(whole.rows)[5:9]
    assert (page.total, page.offset, page.truncated) == (28, 5, False)
    last = run_query(store, query, offset=26, limit=10)
    assert list(last.rows) == list(whole.rows)[26:] and last.total == 28
    beyond = run_query(store, query, offset=40, limit=10)
    assert list(beyond.rows) == [] and beyond.total == 28


def test_a_page_larger_than_the_row_limit_is_cut_and_says_so(oxigraph_store) -> None:
    from explorer.query.limits import QueryLimits

    page = run_query(oxigraph_store, load_catalog()["references"], limits=QueryLimits(max_rows=3),
                     offset=2, limit=10)
    assert len(page.rows) == 3 and page.truncated and page.total == 28


def test_negative_page_bounds_are_refused(oxigraph_store) -> None:
    with pytest.raises(QueryError, match="offset and limit"):
        run_query(oxigraph_store, load_catalog()["policies"], offset=-1)


def test_query_command_prints_one_page_and_the_total(seed_store) -> None:
    result = run("query", "references", "--offset", "2", "--limit", "3", "--format", "json", store=seed_store)
    assert result.exit_code == 0, result.output
    numbers = [b["number"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]]
    assert numbers == ["3", "4", "5"]
    assert "rows 3-5 of 28" in result.stderr


def test_the_guard_remembers_accepted_texts_only() -> None:
    text = load_catalog()["policies"].text
    first, second = check_read_only(text), check_read_only(text)
    assert first == second
    first.prefixes["x"] = "http://example.org/"  # a caller's copy: the cached answer is untouched
    assert "x" not in check_read_only(text).prefixes
    for _ in range(2):  # a refused text is refused every time, not remembered as accepted
        with pytest.raises(QueryError, match="refused|malformed"):
            check_read_only("DELETE WHERE { ?s ?p ?o }")
