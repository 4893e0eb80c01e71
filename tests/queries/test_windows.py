"""Issue 15 item 3: a page of a long listing is read from the policies it spans, after the rows
of the policies before it are counted in chunks (never the whole listing at once), and it is
exactly the whole listing's slice: same rows, same order, same "cut at the row limit" flag, and
the same total once every policy is counted (before that, a lower bound)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal

from explorer.bench.corpus import generate_corpus
from explorer.errors import QueryError
from explorer.query import runner, windows
from explorer.query.catalog import NamedQuery, load_catalog, parse_query_text
from explorer.query.limits import QueryLimits
from explorer.query.runner import QueryResult, asserted_graphs, run_query
from explorer.query.windows import RowRuns, RunRecorder, check_pages
from explorer.sparql.values import inject_value_rows
from explorer.store import open_store

CATALOG = load_catalog()
PAGED = sorted(name for name, q in CATALOG.items() if q.pages_by)
PARAMS = {"evidence-for-disease": {"disease": "multiple myeloma"}}
WINDOW_MARK = "VALUES (?policy)"


class Spy:
    """Counts the texts that read some policies only (a window or a chunk counted) and those that
    read a whole listing."""

    def __init__(self, store: object) -> None:
        self.store, self.windows, self.whole = store, 0, 0
        self._plain = store.query_plain  # type: ignore[attr-defined]

    def __enter__(self) -> Spy:
        def plain(text, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.windows += WINDOW_MARK in text
            self.whole += "VALUES (" not in text
            return self._plain(text, *args, **kwargs)

        self.store.query_plain = plain  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        del self.store.query_plain  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seed_web_path: Path) -> Path:
    folder = tmp_path_factory.mktemp("windows-corpus")
    generate_corpus(folder, 12, seed=3)
    (folder / seed_web_path.name).write_text(seed_web_path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _one_text(store: object, query: NamedQuery, params: dict[str, str] | None = None,
              graphs: list[str] | None = None, max_rows: int = 100_000) -> list[tuple[object, ...]]:
    """The listing's rows as the engine answers its whole text (never through windows)."""
    with pytest.MonkeyPatch.context() as patch, Spy(store) as spy:
        patch.setattr(runner, "listing_for", lambda *args: None)
        rows = list(run_query(store, query, params or {}, graphs=graphs, limits=QueryLimits(max_rows=max_rows)).rows)
    assert (spy.whole, spy.windows) == (1, 0)
    return rows


def _ingested(folder: Path, corpus: Path) -> object:
    from explorer.pipeline import ingest_paths

    opened = open_store(f"oxigraph:{folder}")
    assert not ingest_paths(opened, [corpus]).failed
    return opened


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[object]:
    opened = _ingested(tmp_path_factory.mktemp("windows-store"), corpus)
    yield opened
    opened.close()  # type: ignore[attr-defined]


@pytest.fixture()
def own_store(tmp_path: Path, corpus: Path) -> Iterator[object]:
    opened = _ingested(tmp_path / "store", corpus)
    yield opened
    opened.close()  # type: ignore[attr-defined]


def test_every_paged_query_orders_by_policy_first() -> None:
    assert {"references", "codes", "citations", "prior-authorization", "coverage-statements"} <= set(PAGED)
    for name in PAGED:
        check_pages(CATALOG[name])  # raises if the header's promise does not hold for the text


def _total_holds(page: QueryResult, whole: int, offset: int, size: int) -> bool:
    """The page's total is the listing's, or, before every policy is counted, a lower bound that
    reaches one row past the page."""
    if page.total is not None:
        return page.total == whole and page.total_at_least is None
    return page.total_at_least is not None and min(whole, offset + size + 1) <= page.total_at_least < whole


@pytest.mark.parametrize("name", PAGED)
def test_pages_from_windows_are_the_whole_listings_slices(store, name: str, monkeypatch) -> None:
    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)  # 13 policies: chunks, not one read of them all
    query = CATALOG[name]
    rows = _one_text(store, query, PARAMS.get(name, {}))
    assert len({r[0] for r in rows}) >= 2, f"{name}: the corpus lists rows of several policies"
    with Spy(store) as spy:
        first = run_query(store, query, PARAMS.get(name, {}), offset=0, limit=7)
        assert spy.whole == 0 and spy.windows >= 1  # chunks of policies counted, the page among them
        assert first.total is None, f"{name}: the first page counted only the policies it needs"
        assert first.total_text == f"at least {first.total_at_least:,}"
        for offset in [*range(0, len(rows) + 8, 7), 3, len(rows) - 1]:
            page = run_query(store, query, PARAMS.get(name, {}), offset=offset, limit=7)
            assert list(page.rows) == rows[offset:offset + 7], f"{name} at {offset}"
            assert (page.offset, page.truncated) == (offset, False)
            assert _total_holds(page, len(rows), offset, 7), f"{name} at {offset}: {page.total}, {page.total_at_least}"
        assert page.total == len(rows)  # the pages past the end counted every policy
    assert list(first.rows) == rows[:7]
    assert spy.whole == 0, f"{name}: no page read the whole listing"
    assert spy.windows >= len(rows) // 7 - 1, f"{name}: later pages read the policies they span"


def test_a_first_page_with_the_default_chunk_reads_no_whole_listing(store) -> None:
    query = CATALOG["references"]
    whole = _one_text(store, query)
    with Spy(store) as spy:
        page = run_query(store, query, offset=0, limit=10)
    assert spy.whole == 0 and list(page.rows) == whole[:10]
    assert page.total == len(whole)  # 13 policies: one chunk of 16 counts them all


def test_a_listing_counted_out_of_order_is_read_whole(own_store, monkeypatch) -> None:
    store, query = own_store, CATALOG["codes"]
    whole = _one_text(store, query)
    monkeypatch.setattr(RowRuns, "extended", lambda self, chunk, counted: None)
    with Spy(store) as spy:
        page = run_query(store, query, offset=0, limit=5)
    assert spy.whole == 1 and list(page.rows) == whole[:5] and page.total == len(whole)


def test_a_write_makes_the_next_page_count_again(own_store, tmp_path: Path) -> None:
    from explorer.pipeline import ingest_paths

    store = own_store
    query = CATALOG["references"]
    before = run_query(store, query, offset=10_000, limit=5)  # past the end: every policy counted
    extra = tmp_path / "extra"
    generate_corpus(extra, 1, seed=99)
    assert not ingest_paths(store, [extra]).failed
    whole = _one_text(store, query)
    after = run_query(store, query, offset=len(whole) - 3, limit=5)
    assert before.total is not None and after.total == len(whole) > before.total  # counted anew
    assert list(after.rows) == whole[-3:]


def test_parameters_and_graphs_are_listings_of_their_own(store) -> None:
    query = CATALOG["prior-authorization"]
    for params, graphs in [({}, None), ({"setting": "outpatient"}, None), ({}, asserted_graphs(store))]:
        whole = _one_text(store, query, params, graphs)
        for offset in (0, 4, 9):
            page = run_query(store, query, params, graphs=graphs, offset=offset, limit=6)
            assert list(page.rows) == whole[offset:offset + 6] and _total_holds(page, len(whole), offset, 6)


def test_a_page_cut_at_the_row_limit_says_so_from_a_window_too(store) -> None:
    query = CATALOG["references"]
    run_query(store, query, offset=0, limit=10)  # counts the runs
    with Spy(store) as spy:
        page = run_query(store, query, limits=QueryLimits(max_rows=3), offset=20, limit=10)
    assert spy.windows >= 1
    whole = _one_text(store, query)
    assert list(page.rows) == whole[20:23] and page.truncated and _total_holds(page, len(whole), 20, 3)


@pytest.mark.parametrize("name", PAGED)
def test_a_whole_read_past_the_row_limit_is_the_whole_texts_first_rows(store, name: str, monkeypatch) -> None:
    """Without a page, a listing longer than the row limit gives the rows, order and "cut" flag of
    the whole text's first ``max_rows`` rows, whether its first chunk sent it to windows or not."""
    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)
    rows = _one_text(store, CATALOG[name], PARAMS.get(name, {}))
    limit = max(1, len(rows) // 3)
    windows._LISTINGS.clear()  # nothing counted before
    with Spy(store) as spy:
        cut = run_query(store, CATALOG[name], PARAMS.get(name, {}), limits=QueryLimits(max_rows=limit))
    assert list(cut.rows) == rows[:limit] and cut.truncated, name
    if spy.whole == 0:  # through windows: a lower bound of the rows, counted as far as one past the limit
        assert cut.total is None and limit < cut.total_at_least <= len(rows), (name, cut.total_at_least)
    else:  # the first chunk's rows per policy said it fits (or its header says one text): one text
        counted = 0 if CATALOG[name].whole_as_text else 1
        assert (spy.whole, spy.windows, cut.total, cut.total_at_least) == (1, counted, None, None), name


def test_a_whole_read_of_a_long_listing_reads_its_first_policies_only(store, monkeypatch) -> None:
    """Every policy has references: a whole read cut at 5 rows reads the first chunks of
    policies, never the whole text, which the engine evaluates and sorts entire."""
    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)
    rows = _one_text(store, CATALOG["references"])
    windows._LISTINGS.clear()
    with Spy(store) as spy:
        cut = run_query(store, CATALOG["references"], limits=QueryLimits(max_rows=5))
    assert (spy.whole, spy.windows) == (0, 1)
    assert list(cut.rows) == rows[:5] and cut.truncated and 5 < cut.total_at_least < len(rows)


def test_a_listing_whose_header_says_whole_text_is_read_whole_in_one_text(store, monkeypatch) -> None:
    """``# whole: text`` (investigational-indications: through windows 9-10 s at 10,000 policies,
    one text 3.4-3.9 s): a whole read past the row limit is one text, no chunk counted; its pages
    still come from windows."""
    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)
    query = CATALOG["investigational-indications"]
    assert query.whole_as_text and not CATALOG["references"].whole_as_text
    rows = _one_text(store, query)
    windows._LISTINGS.clear()
    with Spy(store) as spy:
        cut = run_query(store, query, limits=QueryLimits(max_rows=max(1, len(rows) // 3)))
    assert (spy.whole, spy.windows) == (1, 0)
    assert list(cut.rows) == rows[:max(1, len(rows) // 3)] and cut.truncated


@pytest.mark.parametrize(("header", "problem"), [
    ("# whole: text\n", "only with a '# pages:' line"),
    ("# pages: policy\n# whole: windows\n", "only 'text'"),
])
def test_a_whole_line_that_does_not_hold_is_refused(header: str, problem: str) -> None:
    text = ("# title: t\n# description: d\n# columns: policy\n" + header
            + "SELECT ?policy WHERE { ?p <urn:n> ?policy } ORDER BY ?policy")
    with pytest.raises(QueryError, match=re.escape(problem)):
        parse_query_text(text, name="bad", strict=True)


def test_a_whole_read_within_the_row_limit_is_one_text(store, monkeypatch) -> None:
    """A listing whose first chunk's rows per policy say it fits the limit is read in one text
    (one evaluation beats the windows' VALUES there), and once counted, with no chunk at all."""
    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)
    query = CATALOG["references"]
    rows = _one_text(store, query)
    windows._LISTINGS.clear()
    for chunks in (1, 0):
        with Spy(store) as spy:
            whole = run_query(store, query, limits=QueryLimits(max_rows=10 * len(rows)))
        assert (spy.whole, spy.windows) == (1, chunks)
        assert list(whole.rows) == rows and whole.total == len(rows) and not whole.truncated


def test_a_bound_policy_is_read_whole(store) -> None:
    query = CATALOG["references"]
    with Spy(store) as spy:
        for _ in range(2):
            page = run_query(store, query, {"policy": "338"}, offset=2, limit=3)
    assert spy.windows == 0 and page.total == 28  # the seed's 28 references


def test_row_runs_windows() -> None:
    runs = RowRuns(("a", "b", "c", "d"), (3, 1, 4, 2))
    assert runs.total == 10
    assert runs.window(0, 2) == (("a",), 0)
    assert runs.window(2, 2) == (("a", "b"), 2)
    assert runs.window(3, 1) == (("b",), 0)
    assert runs.window(4, 4) == (("c",), 0)
    assert runs.window(4, 5) == (("c", "d"), 0)
    assert runs.window(5, 100) == (("c", "d"), 1)
    assert runs.window(10, 5) == ((), 0)
    assert runs.window(0, 0) == ((), 0)


def test_row_runs_count_in_chunks_sized_from_what_they_saw(monkeypatch) -> None:
    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)
    candidates = tuple("abcdefghij")
    runs = RowRuns((), (), candidates)
    assert not runs.complete and runs.next_chunk(5) == ("a", "b")
    runs = runs.extended(("a", "b"), RowRuns(("b",), (4,)))  # "a" has no rows
    assert runs is not None and (runs.values, runs.counts, runs.covered, runs.total) == (("b",), (4,), 2, 4)
    assert runs.next_chunk(12) == ("c", "d", "e", "f", "g")  # 2 rows a value: 8 rows more, x1.25
    assert runs.extended(("c", "d"), RowRuns(("z",), (1,))) is None  # not a value of the chunk
    assert runs.extended(("c", "d"), RowRuns(("d", "c"), (1, 1))) is None  # out of the chunk's order
    done = runs.extended(candidates[2:], RowRuns(("c", "j"), (1, 2)))
    assert done is not None and done.complete and done.total == 7 and done.window(4, 2) == (("c", "j"), 0)
    empty = RowRuns((), (), candidates).extended(("a", "b"), RowRuns((), ()))
    assert empty is not None and empty.next_chunk(5) == ("c", "d", "e", "f")  # none had rows: double
    assert RowRuns(("a",), (1,)).complete  # read whole: no candidates


def test_runs_are_kept_only_when_every_value_comes_in_one_run() -> None:
    whole = RunRecorder(0)
    assert list(whole(iter([("a", 1), ("a", 2), ("b", 3)]))) == [("a", 1), ("a", 2), ("b", 3)]
    assert whole.runs == RowRuns(("a", "b"), (2, 1))
    scattered = RunRecorder(0)
    list(scattered(iter([("a", 1), ("b", 2), ("a", 3)])))
    assert scattered.runs is None
    unread = RunRecorder(0)
    rows = unread(iter([("a", 1), ("b", 2)]))
    next(rows)
    assert unread.runs is None  # a read stopped part way (time limit) keeps nothing


@pytest.mark.parametrize(("text", "problem"), [
    ("SELECT ?policy ?x WHERE { ?p <urn:n> ?policy } ORDER BY ?x ?policy", "ORDER BY ?policy first"),
    ("SELECT ?policy WHERE { ?p <urn:n> ?policy } ORDER BY ?policy LIMIT 10", "without LIMIT"),
    ("SELECT ?x (COUNT(*) AS ?policy) WHERE { ?p <urn:n> ?x } GROUP BY ?x ORDER BY ?policy", "GROUP BY"),
    ("SELECT ?policy WHERE { ?x <urn:a> ?y OPTIONAL { ?p <urn:n> ?policy } } ORDER BY ?policy", "required triple"),
    ("SELECT ?policy WHERE { ?p ?any ?policy } ORDER BY ?policy", "required triple"),
    ("SELECT ?policy ?x WHERE { ?p <urn:n> ?policy ; <urn:x> ?x } ORDER BY ?policy", "add ?x to its keys"),
])
def test_a_pages_declaration_that_does_not_hold_is_refused(text: str, problem: str) -> None:
    columns = text.split("WHERE")[0].replace("SELECT", "").replace("(COUNT(*) AS ?policy)", "?policy")
    names = ", ".join(columns.split()).replace("?", "")
    header = f"# title: t\n# description: d\n# columns: {names}\n# pages: policy\n"
    query = parse_query_text(header + text, name="bad", strict=True)
    with pytest.raises(QueryError, match=re.escape(problem)):
        check_pages(query)


def test_ad_hoc_text_is_never_read_in_windows() -> None:
    text = "# columns: policy\n# pages: policy\nSELECT ?policy WHERE { ?p <urn:n> ?policy } ORDER BY ?policy"
    assert parse_query_text(text).pages_by is None


def test_window_values_stay_values() -> None:
    hostile = Literal('338" } } ; DROP ALL ; SELECT * { "')
    text = inject_value_rows(CATALOG["references"].text, "policy", [Literal("338"), hostile])
    assert text.count(WINDOW_MARK) == 1 and text.count('\\"') == 2  # one block, the quotes escaped
    with pytest.raises(QueryError, match="no values"):
        inject_value_rows(CATALOG["references"].text, "policy", [])


def test_the_bench_times_pages_and_counts_each_listings_total(store, monkeypatch) -> None:
    """``bench run``'s page timings (explorer/bench/catalog_timing.py): pages of 5 rows from listings
    counted two policies at a time, so the first page knows only a lower bound; the bench's rows
    are still each listing's whole count."""
    from explorer.bench import catalog_timing

    monkeypatch.setattr(windows, "FIRST_CHUNK", 2)
    monkeypatch.setattr(catalog_timing, "PAGE_ROWS", 5)
    timings = {t.name: t for t in catalog_timing.time_pages(store, 2, "338")}
    for name in PAGED:
        whole = _one_text(store, CATALOG[name], PARAMS.get(name, {}))
        assert timings[name].error is None and timings[name].rows == len(whole), name
        assert not timings[name].truncated, name


def test_a_bench_count_cut_by_the_time_limit_is_shown_as_a_lower_bound(store, monkeypatch) -> None:
    from explorer.bench import catalog_timing

    def stopped(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise QueryError("query stopped: it exceeded the time limit of 10 s")

    monkeypatch.setattr("explorer.query.runner.run_query", stopped)
    assert catalog_timing._counted_total(store, CATALOG["references"], {}, 272) == (272, False)


def test_a_first_chunk_without_rows_projects_nothing() -> None:
    """Policies with no rows say nothing of the others: the whole read counts on, not one text."""
    from explorer.query.listing_pages import _ends_within

    candidates = tuple(range(100))
    assert not _ends_within(RowRuns((), (), candidates, 16), 10_000)
    assert not _ends_within(RowRuns((3,), (5,), candidates, 16), 10)  # 5 rows in 16 policies: ~31 in all
    assert _ends_within(RowRuns((3,), (5,), candidates, 16), 100)
    assert _ends_within(RowRuns((3,), (5,)), 5) and not _ends_within(RowRuns((3,), (5,)), 4)  # counted whole


@pytest.mark.parametrize(("select", "columns", "tail", "refused"), [
    ("?policy (STR(?a) AS ?b)", "policy, b", "ORDER BY ?policy", "add ?b to its keys"),  # computed, no groups
    ("?policy (COUNT(?a) AS ?n)", "policy, n", "GROUP BY ?policy ?a ORDER BY ?policy", "add ?n"),  # a key unordered
    ("?policy (COUNT(?a) AS ?n)", "policy, n", "GROUP BY ?policy ORDER BY ?policy", None),  # follows from its group
    ("?policy ?a", "policy, a", "ORDER BY $policy $a", None),                               # $x is ?x
])
def test_an_order_that_leaves_rows_tied_is_refused(select: str, columns: str, tail: str, refused: str | None) -> None:
    text = f"SELECT {select} WHERE {{ ?p <urn:n> ?policy ; <urn:a> ?a }} {tail}"
    header = f"# title: t\n# description: d\n# columns: {columns}\n# pages: policy\n"
    query = parse_query_text(header + text, name="tied", strict=True)
    if refused is None:
        check_pages(query)
    else:
        with pytest.raises(QueryError, match=re.escape(refused)):
            check_pages(query)
