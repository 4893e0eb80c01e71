"""Pages of a long catalog listing, read from the policies they span.

A catalog listing whose rows are ordered by ``?policy`` first (``# pages: policy`` in its header,
checked by :func:`check_pages`) is a run of consecutive rows per policy. The first page asked at a
store revision reads every row, as any page did before, and keeps how many rows each policy has
(:class:`RowRuns`). Any later page at that revision (the next one, or the same one again) runs the
query restricted to the policies it spans (``VALUES (?policy) { ... }`` first in the WHERE group,
checked by the guard like any bound value), which costs what those rows cost: at 1,000 policies
a 100-row page of ``references`` takes about 40 ms where every row takes over a second. The rows,
their order, the total and the "cut at the row limit" flag are those of the whole listing's slice
(``tests/queries/test_windows.py``).

Any write moves the store's revision and the runs are read again. A store that others write
(``revision`` None: a SPARQL server) is always read whole, as is a query whose page column is
bound by a parameter (one policy's rows are few).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rdflib.term import Node

from explorer.errors import QueryError
from explorer.query.catalog import NamedQuery
from explorer.sparql import lexer

R = TypeVar("R", bound=Sequence[Any])

LISTINGS_KEPT = 64  # listings (query x parameters x graphs) remembered per store and revision


@dataclass(frozen=True)
class RowRuns:
    """A listing's rows as runs: the page column's values in row order and each one's row count."""

    values: tuple[Any, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def window(self, offset: int, size: int) -> tuple[tuple[Any, ...], int]:
        """The values whose rows hold rows ``offset .. offset + size`` and how many of their
        rows come before ``offset`` (to skip); no values for an empty page."""
        if size <= 0 or offset >= self.total:
            return (), 0
        first = start = 0
        while start + self.counts[first] <= offset:  # counts are positive: the loop ends in range
            start += self.counts[first]
            first += 1
        last, end = first, start + self.counts[first]
        while end < offset + size and last + 1 < len(self.values):
            last += 1
            end += self.counts[last]
        return self.values[first:last + 1], offset - start


class RunRecorder:
    """Counts the runs of one column while the rows pass through; :attr:`runs` is set only once
    every row has passed, and only if each value came in one run (as ``ORDER BY`` promises)."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.runs: RowRuns | None = None

    def __call__(self, rows: Iterator[R]) -> Iterator[R]:
        values: list[Any] = []
        counts: list[int] = []
        seen: set[Any] = set()
        contiguous = True
        for row in rows:
            value = row[self.index]
            if values and value == values[-1]:
                counts[-1] += 1
            else:
                if value is None or value in seen:
                    contiguous = False  # unbound, or a value back after another: no windows
                else:
                    seen.add(value)
                values.append(value)
                counts.append(1)
            yield row
        if contiguous:
            self.runs = RowRuns(tuple(values), tuple(counts))


def check_pages(query: NamedQuery) -> None:
    """A ``# pages: COLUMN`` declaration must hold for the text: ``ORDER BY ?COLUMN`` first, no
    ``LIMIT``/``OFFSET`` (a window would not be the listing's slice), and ``?COLUMN`` among the
    ``GROUP BY`` keys when there are any (a window restricts whole groups).

    :raises QueryError: naming the query and what does not hold.
    """
    column = query.pages_by
    if column is None:
        return
    where = query.path or query.name
    words = lexer.significant(query.text)
    upper = [t.text.upper() if t.kind == "word" else t.text for t in words]
    if "LIMIT" in upper or "OFFSET" in upper:
        raise QueryError(f"{where}: '# pages: {column}' needs a query without LIMIT or OFFSET")
    order = _after(upper, "ORDER")
    if not order or order[0] != f"?{column}":
        raise QueryError(f"{where}: '# pages: {column}' needs ORDER BY ?{column} first")
    group = _after(upper, "GROUP")
    if group and f"?{column}" not in group:
        raise QueryError(f"{where}: '# pages: {column}' needs ?{column} among the GROUP BY keys")


def _after(tokens: list[str], keyword: str) -> list[str]:
    """The tokens of the clause ``keyword BY ...`` up to the next clause keyword."""
    for i, token in enumerate(tokens[:-1]):
        if token == keyword and tokens[i + 1] == "BY":
            clause = []
            for t in tokens[i + 2:]:
                if t in ("ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "VALUES"):
                    break
                clause.append(t)
            return clause
    return []


class _StoreListings:
    """The runs of the listings read from one store at one revision (least recently used dropped)."""

    def __init__(self, revision: int) -> None:
        self.revision = revision
        self.runs: OrderedDict[tuple[Any, ...], RowRuns] = OrderedDict()


_LISTINGS: weakref.WeakKeyDictionary[Any, _StoreListings] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Listing:
    """One listing (query, parameters, graphs) of one store at its current revision."""

    store: Any
    revision: int
    key: tuple[Any, ...]
    column: str

    def runs(self) -> RowRuns | None:
        """The listing's runs, if a page already read every row at this revision."""
        with _LOCK:
            kept = _LISTINGS.get(self.store)
            if kept is None or kept.revision != self.revision:
                return None
            runs = kept.runs.get(self.key)
            if runs is not None:
                kept.runs.move_to_end(self.key)
            return runs

    def keep(self, runs: RowRuns) -> None:
        with _LOCK:
            kept = _LISTINGS.get(self.store)
            if kept is None or kept.revision != self.revision:
                if getattr(self.store, "revision", None) != self.revision:
                    return  # written meanwhile: these runs describe an older revision
                kept = _LISTINGS[self.store] = _StoreListings(self.revision)
            kept.runs[self.key] = runs
            kept.runs.move_to_end(self.key)
            while len(kept.runs) > LISTINGS_KEPT:
                kept.runs.popitem(last=False)


def listing_for(store: Any, query: NamedQuery, bindings: Mapping[str, Node],
                graphs: Sequence[str] | None) -> Listing | None:
    """The listing ``query`` reads from ``store``, or None when it cannot be read in windows: no
    ``# pages:`` column, that column bound by a parameter, or a store whose revision says nothing."""
    column = query.pages_by
    revision = getattr(store, "revision", None)
    if column is None or column in bindings or revision is None:
        return None
    try:
        weakref.ref(store)
    except TypeError:
        return None
    key = (query.text, tuple(sorted(bindings.items())), None if graphs is None else tuple(graphs))
    return Listing(store, revision, key, column)
