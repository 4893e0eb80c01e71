"""Pages of a long catalog listing, read from the policies they span.

A catalog listing whose rows are ordered by ``?policy`` first (``# pages: policy`` in its header,
checked by :func:`check_pages`) is a run of consecutive rows per policy, and ``?policy`` is bound
by a required triple (``?p pol:policyNumber ?policy``): every value it can take is an object of
that predicate. A page is read from the policies it spans (``VALUES (?policy) { ... }`` first in
the WHERE group, each value checked to be one term: ``explorer.sparql.values.inject_value_rows``),
which costs what those rows cost: at 1,000 policies a 100-row page of ``references`` takes 10-40
ms where every row takes over a second.

Which policies a page spans comes from :class:`RowRuns`, the count of each policy's rows, learnt
as pages are asked: the policies' values in listing order (``queries/internal/page-values.rq``),
then their rows counted in chunks, in order, until the rows counted reach one past the page (the
first chunk is 16 policies; the next is sized from the rows per policy seen so far). The first
page so reads a few dozen policies, not every row; the last page reads them all, once. The rows,
their order and the "cut at the row limit" flag are those of the whole listing's slice, and the
total is exact once every policy is counted; before that a page says how many rows are known
(``total_at_least``) (``tests/queries/test_windows.py``).

A whole read (no page asked) is the page of the first ``max_rows`` rows: read so when the rows
counted say the listing runs past the row limit, else in one text (``listing_pages``).

Any write moves the store's revision and the counts start again. A store that others write
(``revision`` None: a SPARQL server) is always read whole, as is a query whose page column is
bound by a parameter (one policy's rows are few). A listing whose chunk comes back out of the
values' order (an engine ordering them otherwise) is read whole and counted from that read.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from rdflib.term import Node, URIRef, Variable

from explorer.errors import QueryError
from explorer.query.catalog import NamedQuery
from explorer.sparql import lexer

R = TypeVar("R", bound=Sequence[Any])

LISTINGS_KEPT = 64  # listings (query x parameters x graphs) remembered per store and revision
FIRST_CHUNK = 16  # policies counted for a listing's first page, before its rows per policy are known
CHUNK_MARGIN = 1.25  # a later chunk is sized for the rows still needed, plus this margin


@dataclass(frozen=True)
class RowRuns:
    """A listing's rows as runs: the page column's values in row order and each one's row count.

    ``candidates`` (None: every row was read) are all the values the column can take, in listing
    order; the runs then count the rows of the first ``covered`` of them (those with no rows are
    not among ``values``)."""

    values: tuple[Any, ...]
    counts: tuple[int, ...]
    candidates: tuple[Any, ...] | None = None
    covered: int = 0

    @property
    def total(self) -> int:
        """The rows counted (all of the listing's once :attr:`complete`)."""
        return sum(self.counts)

    @property
    def complete(self) -> bool:
        return self.candidates is None or self.covered >= len(self.candidates)

    def next_chunk(self, need: int) -> tuple[Any, ...]:
        """The candidates to count next, for ``need`` rows counted in all: as many as the rows per
        value seen so far say, with a margin (:data:`FIRST_CHUNK` before any is seen)."""
        assert self.candidates is not None
        size = FIRST_CHUNK
        if self.covered and self.total:
            size = max(FIRST_CHUNK, -(-int((need - self.total) * CHUNK_MARGIN * self.covered) // self.total))
        elif self.covered:
            size = max(FIRST_CHUNK, 2 * self.covered)  # none of them had rows: double
        return self.candidates[self.covered:self.covered + size]

    def extended(self, chunk: Sequence[Any], counted: RowRuns) -> RowRuns | None:
        """These runs with ``chunk`` (the next candidates) counted as ``counted``; None when
        ``counted`` holds a value not in the chunk, or out of the chunk's order."""
        position = {value: i for i, value in enumerate(chunk)}
        places = [position.get(value, -1) for value in counted.values]
        if any(p < 0 for p in places) or places != sorted(places):
            return None
        return RowRuns(self.values + counted.values, self.counts + counted.counts, self.candidates,
                       self.covered + len(chunk))

    def window(self, offset: int, size: int) -> tuple[tuple[Any, ...], int]:
        """The values whose rows hold rows ``offset .. offset + size`` and how many of their
        rows come before ``offset`` (to skip); no values for an empty page. Of the rows counted:
        the caller counts far enough first."""
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
    ``LIMIT``/``OFFSET`` (a window would not be the listing's slice), ``?COLUMN`` among the
    ``GROUP BY`` keys when there are any (a window restricts whole groups), and every variable the
    query projects among the ``ORDER BY`` keys (rows tied on every key could come back in another
    order from a window's text than from the whole text: a page would repeat or skip one).

    :raises QueryError: naming the query and what does not hold.
    """
    column = query.pages_by
    if column is None:
        return
    where = query.path or query.name
    words = lexer.significant(query.text)
    upper = [t.text.upper() if t.kind == "word" else t.text for t in words]
    upper = ["?" + t[1:] if t.startswith("$") else t for t in upper]   # $x is ?x
    if "LIMIT" in upper or "OFFSET" in upper:
        raise QueryError(f"{where}: '# pages: {column}' needs a query without LIMIT or OFFSET")
    order = _after(upper, "ORDER")
    if not order or order[0] != f"?{column}":
        raise QueryError(f"{where}: '# pages: {column}' needs ORDER BY ?{column} first")
    group = _after(upper, "GROUP")
    if group and f"?{column}" not in group:
        raise QueryError(f"{where}: '# pages: {column}' needs ?{column} among the GROUP BY keys")
    named, computed = _projected(upper)
    if not group or not all(k in order for k in group if k.startswith("?")):
        named += computed   # an aggregate follows from its group's keys only if they all order the rows
    unordered = [v for v in named if v not in order]
    if unordered:  # rows tied on every key may come in another order from a window than from the whole text
        raise QueryError(f"{where}: '# pages: {column}' needs an ORDER BY that orders every row: "
                         f"add {' '.join(unordered)} to its keys")
    if page_source(query.text, column) is None:
        raise QueryError(f"{where}: '# pages: {column}' needs ?{column} bound by a required triple "
                         f"with a fixed predicate (e.g. ?p pol:policyNumber ?{column})")


@lru_cache(maxsize=64)
def page_source(text: str, column: str) -> str | None:
    """The predicate of a required triple ``?s <predicate> ?column`` of the query (outside any
    OPTIONAL, MINUS, UNION or GRAPH), whose objects are every value ``?column`` can take; None
    when there is none or the text does not parse."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # the guard reports what is wrong with a text; here it only has no source
        return None
    for _, predicate, obj in _required_triples(algebra):
        if isinstance(predicate, URIRef) and isinstance(obj, Variable) and str(obj) == column:
            return str(predicate)
    return None


_THROUGH = {"SelectQuery", "Project", "Distinct", "Reduced", "OrderBy", "Slice", "Extend", "Filter",
            "ToMultiSet", "Group", "AggregateJoin"}


def _required_triples(node: Any) -> Iterator[tuple[Node, Node, Node]]:
    """The triples every solution of ``node`` (rdflib's algebra) matches in the default graph."""
    name = getattr(node, "name", None)
    if name == "BGP":
        yield from node.triples
    elif name in _THROUGH:
        yield from _required_triples(node.p)
    elif name in ("LeftJoin", "Minus"):
        yield from _required_triples(node.p1)
    elif name == "Join":
        yield from _required_triples(node.p1)
        yield from _required_triples(node.p2)


def _projected(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The variables the first ``SELECT`` projects: by name, and computed (``(expression AS ?x)``)."""
    if "SELECT" not in tokens:
        return [], []
    named: list[str] = []
    computed: list[str] = []
    depth = 0
    clause = tokens[tokens.index("SELECT") + 1:]
    for i, t in enumerate(clause):
        if depth == 0 and t in ("WHERE", "{", "*"):
            break
        depth += (t == "(") - (t == ")")
        if depth == 0 and t.startswith("?"):
            named.append(t)
        elif depth == 1 and t == "AS" and i + 1 < len(clause) and clause[i + 1].startswith("?"):
            computed.append(clause[i + 1])
    return named, computed


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
    source: str | None = None  # page_source: the predicate whose objects are the column's values

    def runs(self) -> RowRuns | None:
        """The listing's runs as counted by the pages read at this revision, if any."""
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


def forget_listings(store: Any) -> None:
    """Forget the runs counted for ``store``'s listings: its next pages count again, as in a new
    process (``bench run`` times first pages so)."""
    with _LOCK:
        _LISTINGS.pop(store, None)


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
    return Listing(store, revision, key, column, page_source(query.text, column))
