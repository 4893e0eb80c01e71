"""Plan hints for Oxigraph (``# plan: optionals-per-row``, explorer/store/oxigraph_plans.py): the
rewrite is exact, a bad header is refused, and the planned query answers as the plain one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from explorer.errors import QueryError
from explorer.query.bindings import bind_parameters
from explorer.query.catalog import load_catalog, load_query_file
from explorer.query.runner import run_query
from explorer.sparql.guard import check_read_only
from explorer.sparql.values import inject_bindings
from explorer.store import PolicyStore
from explorer.store.oxigraph_plans import OPTIONALS_PER_ROW, optionals_per_row, planned_text

DISEASES = ("multiple myeloma", "hematologic malignancy", "Lung Cancer", "colorectal cancer",
            "breast cancer", "leukemia", "no such disease")


def test_each_optional_is_wrapped_and_nothing_else_moves() -> None:
    text = ('SELECT * WHERE { ?s <urn:p> "OPTIONAL { not a group }" . # OPTIONAL { a comment }\n'
            "  OPTIONAL { ?s <urn:q> ?q . ?q <urn:r> ?OPTIONAL }\n"
            "  optional{ ?s <urn:t> '}' }OPTIONAL { ?s <urn:u> ?u } ?s <urn:v> ?v .OPTIONAL { ?v ex:OPTIONAL ?w }\n"
            '  VALUES ?l { "x"@optional } }')
    assert optionals_per_row(text) == (
        'SELECT * WHERE { ?s <urn:p> "OPTIONAL { not a group }" . # OPTIONAL { a comment }\n'
        "  LATERAL { OPTIONAL { ?s <urn:q> ?q . ?q <urn:r> ?OPTIONAL } }\n"
        "  LATERAL { optional{ ?s <urn:t> '}' } }LATERAL { OPTIONAL { ?s <urn:u> ?u } } ?s <urn:v> ?v "
        ".LATERAL { OPTIONAL { ?v ex:OPTIONAL ?w } }\n"
        '  VALUES ?l { "x"@optional } }')
    assert planned_text(text, None) == text


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o OPTIONAL ?x }",
    "SELECT * WHERE { OPTIONAL { ?s ?p ?o .",
    # shapes whose answers LATERAL would change: more than triple patterns in the group
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <urn:q> ?x FILTER(?x != ?o) } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { { ?s <urn:q> ?x } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <urn:q> ?x OPTIONAL { ?x <urn:r> ?o } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <urn:q> ?x BIND(?o AS ?y) } }",
])
def test_a_query_that_cannot_be_planned_is_refused(text: str) -> None:
    with pytest.raises(QueryError, match="cannot be planned"):
        optionals_per_row(text)


@pytest.mark.parametrize(("plan", "query", "message"), [
    ("hash-everything", "SELECT ?s ?x WHERE { ?s ?p ?o }", "hash-everything"),
    (OPTIONALS_PER_ROW, "SELECT ?s ?x WHERE { ?s ?p ?o OPTIONAL { ?s <urn:q> ?x FILTER(?x != ?o) } }",
     "more than triple patterns"),
])
def test_a_catalog_file_with_a_plan_it_cannot_have_is_refused_naming_file_and_line(
        tmp_path: Path, plan: str, query: str, message: str) -> None:
    path = tmp_path / "odd.rq"
    path.write_text(f"# title: t\n# description: d\n# columns: s, x\n# plan: {plan}\n{query}\n", encoding="utf-8")
    with pytest.raises(QueryError, match=rf"odd\.rq.*4.*{message}"):
        load_query_file(path)


def test_an_unknown_plan_is_refused() -> None:
    with pytest.raises(QueryError, match="unknown plan"):
        planned_text("SELECT * WHERE { ?s ?p ?o }", "hash-everything")


def test_ad_hoc_and_untrusted_text_gets_no_plan() -> None:
    from explorer.query.catalog import parse_query_text
    from explorer.query.runner import untrusted_query

    text = "# title: t\n# plan: optionals-per-row\nSELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?x } }"
    assert parse_query_text(text).plan is None
    assert untrusted_query(text).plan is None


@pytest.fixture(scope="module")
def corpus() -> Iterator[PolicyStore]:
    from explorer.corpus_cache import open_cached_corpus

    opened = open_cached_corpus()
    try:
        yield opened.store
    finally:
        opened.store.close()


PLANNED = {"evidence-for-disease", "investigational-indications"}
CASES = [("evidence-for-disease", {"disease": d}) for d in DISEASES] + [("investigational-indications", {})]


def test_the_catalog_plans_the_queries_measured_faster_so() -> None:
    planned = {name for name, query in load_catalog().items() if query.plan}
    assert planned == PLANNED  # a new plan gets a case below
    assert all(load_catalog()[name].plan == OPTIONALS_PER_ROW for name in planned)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_a_planned_query_answers_as_the_plain_one(corpus: PolicyStore, name: str, params: dict[str, str]) -> None:
    """On the bundled corpus: the explorer's rows (the plan applied) are the rows of the query as
    written, run on the same pyoxigraph store; and the explorer did send the planned text."""
    query = load_catalog()[name]
    raw = corpus._ox  # type: ignore[attr-defined]
    text = inject_bindings(query.text, bind_parameters(query, params, check_read_only(query.text).prefixes) or None)
    plain = sorted((tuple(None if v is None else v.value for v in row) for row in raw.query(text)), key=_key)
    sent: list[str] = []
    original = raw.query

    def spy(sparql: str, **kwargs: object) -> object:
        sent.append(sparql)
        return original(sparql, **kwargs)

    corpus._store = _Spying(raw, spy)  # type: ignore[attr-defined]
    try:
        result = run_query(corpus, query, params)
    finally:
        corpus._store = raw  # type: ignore[attr-defined]
    assert any("LATERAL { OPTIONAL" in s for s in sent)
    explorer = sorted((tuple(None if v is None else str(v) for v in row) for row in result.rows), key=_key)
    assert explorer == [tuple(None if v is None else str(v) for v in row) for row in plain]
    if params.get("disease") == "multiple myeloma":  # not vacuous: rows, with optional values found row by row
        assert len(plain) >= 5 and any(row[2] for row in plain) and any(row[3] for row in plain)
    if name == "investigational-indications":  # rows with and without an indication
        assert len(plain) > 50 and any(row[3] for row in plain) and any(row[3] is None for row in plain)


def _key(row: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((v is not None, v or "") for v in row)


class _Spying:
    """The pyoxigraph store with its ``query`` watched (pyoxigraph's own type cannot be patched)."""

    def __init__(self, store: ox.Store, query: object) -> None:
        self._inner, self.query = store, query

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_a_planned_listing_pages_as_the_plain_one(corpus: PolicyStore) -> None:
    """Pages of ``investigational-indications`` (read from the policies each spans, a VALUES block
    first in the text, then planned): every page, planned and not, holds the same rows."""
    import dataclasses

    planned = load_catalog()["investigational-indications"]
    plain = dataclasses.replace(planned, plan=None)

    def pages(query: object) -> list[tuple[str | None, ...]]:
        rows: list[tuple[str | None, ...]] = []
        offset = 0
        while True:
            page = run_query(corpus, query, {}, offset=offset, limit=25)  # type: ignore[arg-type]
            rows += [tuple(None if v is None else str(v) for v in row) for row in page.rows]
            if len(page.rows) < 25:
                return rows
            offset += 25

    planned_rows, plain_rows = pages(planned), pages(plain)
    assert len(planned_rows) > 50 and sorted(planned_rows, key=_key) == sorted(plain_rows, key=_key)
