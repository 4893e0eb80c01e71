"""Read a page of a ``# pages:`` catalog listing from a store, counting its policies' rows in
chunks as far as the page needs (the bookkeeping: :mod:`explorer.query.windows`).

A whole read (no page asked) is the page of the first ``max_rows`` rows: a listing that runs past
the row limit is read through windows only as far as one row past it, where one text would have
the engine evaluate (and sort) every row before the first came back; a listing that ends within
the limit, as counted or as its first chunk's rows per policy project it, is read in one text
(one evaluation is cheaper than the windows' ``VALUES`` there), as is every whole read of a
listing whose header says ``# whole: text`` (its windows cost more than its whole text)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from explorer.internal_queries import internal_query
from explorer.query.catalog import NamedQuery
from explorer.query.paging import Page, close_rows, collect_plain
from explorer.query.windows import Listing, RowRuns, RunRecorder
from explorer.sparql.guard import CheckedQuery
from explorer.sparql.values import inject_value_rows
from explorer.store.terms import from_ox


def listing_page(store: Any, named: NamedQuery, listing: Listing, bindings: Mapping[str, Node],
                  graphs: list[str] | None, checked: CheckedQuery, max_rows: int, page: Page) -> dict[str, Any]:
    """A page of a ``# pages:`` listing, from the policies it spans (explorer/query/windows.py):
    the rows of the policies before it are counted first, in chunks, as far as one row past it.
    A listing without a source of its values, or whose chunk comes back out of order, is read
    whole once and counted from that read; so is a whole read (no page asked) of a listing that
    ends within ``max_rows`` (:func:`_ends_within`)."""
    runs = listing.runs()
    if runs is None and listing.source is not None:
        runs = RowRuns((), (), _page_values(store, listing.source, graphs))
    whole = not page.asked
    if whole and runs is not None and (named.whole_as_text or _ends_within(runs, max_rows)):
        runs = None  # (``# whole: text``: one text, whatever its length)
    first, end = page.offset, page.offset + page.size(max_rows)
    counted_before = runs.total if runs is not None else 0
    held: list[Any] = []  # the page's rows met while counting (listing order)
    chunks = 0
    while runs is not None and not runs.complete and runs.total < end + 1:  # one row past the page
        chunk = runs.next_chunk(end + 1)
        counted = _count_runs(store, named, listing.column, chunk, bindings, graphs,
                              (first - runs.total, end - runs.total), held)
        runs = None if counted is None else runs.extended(chunk, counted)
        chunks += 1
        if runs is not None:
            listing.keep(runs)
            if whole and not runs.complete and _ends_within(runs, max_rows):
                runs = None  # the first chunk says the whole listing fits: one text reads it
    if runs is None:
        columns, solutions = store.query_plain(named.text, bindings or None, graphs, plan=named.plan)
        recorder = RunRecorder(list(columns).index(listing.column))
        payload = collect_plain(columns, recorder(solutions), checked.prefixes, max_rows, page)
        if recorder.runs is not None:
            listing.keep(recorder.runs)
        return payload
    if chunks and first >= counted_before:  # every row of the page was met while counting
        return collect_plain(named.columns, iter(held), checked.prefixes, max_rows, page, (0, runs.total),
                             total_exact=runs.complete)
    values, skip = runs.window(page.offset, page.size(max_rows))
    if not values:  # past the last row
        return collect_plain(named.columns, iter(()), checked.prefixes, max_rows, page, (0, runs.total),
                             total_exact=runs.complete)
    columns, solutions = store.query_plain(_window_text(named, listing.column, values), bindings or None, graphs,
                                            plan=named.plan)
    return collect_plain(columns, solutions, checked.prefixes, max_rows, page, (skip, runs.total),
                         total_exact=runs.complete)


def _ends_within(runs: RowRuns, max_rows: int) -> bool:
    """Whether ``runs`` say the listing has at most ``max_rows`` rows: counted to its end, or
    projected from the rows per policy counted so far (False before any row is counted: the
    next chunks are counted, twice as many policies each, until one has rows)."""
    if runs.complete:
        return runs.total <= max_rows
    if not runs.total or runs.candidates is None:  # no rows yet: nothing to project from, count on
        return False
    return runs.total * len(runs.candidates) <= max_rows * runs.covered


def _window_text(named: NamedQuery, column: str, values: Sequence[Any]) -> str:
    """The listing restricted to ``values`` of ``column``, as a VALUES block in the text: engines
    plan from it (handed over as terms, pyoxigraph kept the plan of the whole listing:
    investigational-indications took 80 ms a policy)."""
    return inject_value_rows(named.text, column, [from_ox(value) for value in values])


def _page_values(store: Any, predicate: str, graphs: list[str] | None) -> tuple[Any, ...]:
    """Every object of ``predicate`` in the graphs read, in the listing's order (page-values.rq)."""
    text = inject_value_rows(internal_query("page-values"), "predicate", [URIRef(predicate)])
    _, solutions = store.query_plain(text, None, graphs)
    try:
        return tuple(row[0] for row in solutions)
    finally:
        close_rows(solutions)


def _count_runs(store: Any, named: NamedQuery, column: str, chunk: Sequence[Any],
                bindings: Mapping[str, Node], graphs: list[str] | None, keep: tuple[int, int],
                held: list[Any]) -> RowRuns | None:
    """The runs of the listing's rows for the values in ``chunk``; the rows numbered ``keep``
    (start, end: within the chunk's rows) are appended to ``held``, the others only counted.
    None when a value comes back after another (not ordered by it)."""
    columns, solutions = store.query_plain(_window_text(named, column, chunk), bindings or None, graphs,
                                            plan=named.plan)
    recorder = RunRecorder(list(columns).index(column))
    low, high = keep
    try:
        for i, row in enumerate(recorder(solutions)):
            if low <= i < high:
                held.append(row)
    finally:
        close_rows(solutions)
    return recorder.runs


__all__ = ["listing_page"]
