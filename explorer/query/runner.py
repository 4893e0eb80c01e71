"""Run a named or ad hoc query against a PolicyStore: guard, bind, limit, collect."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any, Protocol

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import ExplorerError, QueryError
from explorer.freed_memory import resident_mib, trim_if_grown
from explorer.model.iris import INFERRED_GRAPH_PREFIX, VERSION_GRAPH_PREFIX
from explorer.query.bindings import bind_parameters
from explorer.query.catalog import NamedQuery, parse_query_text
from explorer.query.limits import QueryLimits, call_with_time_limit
from explorer.query.listing_pages import listing_page
from explorer.query.paging import Page, collect_plain
from explorer.query.windows import check_pages, listing_for
from explorer.sparql.guard import CheckedQuery, check_read_only

Row = tuple[Node | None, ...]


class QueryableStore(Protocol):
    """The part of ``explorer.store.PolicyStore`` a query needs."""

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None) -> Result: ...


@dataclass(frozen=True)
class QueryResult:
    """A query's answer.  ``truncated`` means more rows (or triples) existed than the row limit:
    every caller must say so to the user."""

    kind: str                                  # select | ask | graph (CONSTRUCT, DESCRIBE)
    columns: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    elapsed_ms: float = 0.0
    prefixes: dict[str, str] = field(default_factory=dict)   # the query's PREFIXes, for display
    name: str = "<text>"
    total: int | None = None   # a SELECT's rows before paging (``offset``/``limit``), when counted
    # a page of a listing not yet counted to its end: the rows known so far (``total`` is None)
    total_at_least: int | None = None
    offset: int = 0

    @property
    def rows_known(self) -> int:
        """The rows known to exist: the total, else the lower bound, else the rows held."""
        if self.total is not None:
            return self.total
        return self.total_at_least if self.total_at_least is not None else len(self.rows)

    @property
    def total_text(self) -> str:
        """The total as a person reads it: ``"1,234"``, or ``"at least 1,234"`` before every
        policy of a paged listing is counted."""
        return f"{self.rows_known:,}" if self.total is not None else f"at least {self.rows_known:,}"


def run_query(store: QueryableStore, query: NamedQuery | str, params: Mapping[str, object] | None = None,
              limits: QueryLimits | None = None, graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, offset: int = 0, limit: int | None = None) -> QueryResult:
    """Run ``query`` (a catalog entry, or SPARQL text whose ``# param:`` lines declare parameters).

    ``params`` values are converted by declared type and passed as bindings, never as text.
    ``graphs`` restricts the default graph to those named graphs (None: all of them);
    ``named_graphs`` the graphs ``GRAPH`` patterns see (None: all of them).
    ``offset``/``limit`` return one page of a SELECT's rows and count them all (``total``).
    :raises QueryError: malformed, refused (not read-only), bad parameters, or a limit exceeded.
    """
    named = query if isinstance(query, NamedQuery) else parse_query_text(query)
    if offset < 0 or (limit is not None and limit < 0):
        raise QueryError("offset and limit must be 0 or more")
    page = Page(offset, limit)
    limits = _stoppable(store, limits or QueryLimits())
    values = dict(params or {})
    graph_list = list(graphs) if graphs is not None else None
    named_list = list(named_graphs) if named_graphs is not None else None

    def work() -> dict[str, Any]:
        checked = check_read_only(named.text)
        bindings = bind_parameters(named, values, checked.prefixes)
        plain = getattr(store, "query_plain", None)
        try:
            if plain is not None and checked.kind == "select" and named_list is None:
                # the fast path: the engine's own terms, no rdflib objects (explorer/query/plain.py);
                # a paged listing's page, or its whole read, from the policies it spans
                listing = listing_for(store, named, bindings, graph_list)
                if listing is not None:
                    return listing_page(store, named, listing, bindings, graph_list, checked, limits.max_rows, page)
                columns, solutions = plain(named.text, bindings or None, graph_list, plan=named.plan)
                return collect_plain(columns, solutions, checked.prefixes, limits.max_rows, page)
            scope = {} if named_list is None else {"named_graphs": named_list}
            result = store.query(named.text, bindings=bindings or None, graphs=graph_list, **scope)
            return _collect(result, checked, limits.max_rows, page)
        except ExplorerError:
            raise
        except Exception as exc:  # engines raise assorted errors for evaluation failures
            raise QueryError(f"query failed: {type(exc).__name__}: {exc}") from exc

    started, resident = time.perf_counter(), resident_mib()
    try:
        payload = call_with_time_limit(work, limits)
    finally:
        trim_if_grown(resident)  # a heavy plan's freed hash tables go back to the system
    elapsed_ms = (time.perf_counter() - started) * 1000
    graph = None
    if payload["kind"] == "graph":
        graph = Graph()
        for prefix, iri in payload["prefixes"].items():
            graph.bind(prefix, iri, override=True)
        for triple in payload.pop("triples"):
            graph.add(triple)
    return QueryResult(graph=graph, elapsed_ms=elapsed_ms, name=named.name, **payload)


def untrusted_query(text: str) -> NamedQuery:
    """Ad hoc text from someone other than the person running it (an HTTP request, an app
    permalink): its ``# param:`` lines are shown as documentation but declare nothing, so no
    header default is bound and the text runs exactly as the guard checked it. Its header is not
    even read, so a malformed ``# param:`` line is just a comment."""
    return NamedQuery(name="<text>", title="<text>", description="", parameters=(), columns=(), text=text)


def _stoppable(store: object, limits: QueryLimits) -> QueryLimits:
    """Limits under which ``store``'s evaluation can really be stopped at the time limit.

    An rdflib store evaluates in Python, and Python's ``re`` holds the GIL for a whole match, so a
    catastrophic ``REGEX(?x, "(a+)+$")`` starved the thread watchdog (62 s past a 2 s limit, and a
    thread-isolated endpoint froze for every client: issue 11). Such a store's queries therefore
    run in a forked child, which gets SIGKILL at the deadline, whatever isolation was asked for.
    """
    from explorer.store.rdflib_store import RdflibStore

    if limits.isolation == "thread" and isinstance(store, RdflibStore) and hasattr(os, "fork"):
        return replace(limits, isolation="process")
    return limits


def check_query(query: NamedQuery) -> CheckedQuery:
    """Check a catalog entry against its header: read-only, parameters used, columns as projected.

    :raises QueryError: naming the file and what does not match.
    """
    where = query.path or query.name
    try:
        checked = check_read_only(query.text)
    except QueryError as exc:
        raise QueryError(f"{where}: {exc}") from None
    for param in query.parameters:
        if param.name not in checked.variables:
            raise QueryError(f"{where}: parameter {param.name!r} is declared but ?{param.name} "
                             "does not occur in the query")
    if checked.kind == "select":
        if checked.projection is None:
            raise QueryError(f"{where}: name the result columns (SELECT ?a ?b ...), not SELECT *")
        if tuple(checked.projection) != query.columns:
            raise QueryError(f"{where}: header columns {', '.join(query.columns) or '(none)'} differ "
                             f"from the projected variables {', '.join(checked.projection)}")
    elif query.columns:
        raise QueryError(f"{where}: a {checked.kind.upper()} query has no columns; drop '# columns:'")
    check_pages(query)
    return checked


def asserted_graphs(store: Any) -> list[str]:
    """The graphs a query reads "without inferences": the store's graphs minus the inferred ones
    (``.../graph/inferred/...``) and the earlier versions' (``.../graph/version/...``, never part of
    the union a query sees). The policies' index graphs (``.../graph/index/...``) stay: they assert
    nothing new (each triple repeats a span's selector value) and the catalog reads spans from them."""
    return [iri for iri in store.graph_iris() if not str(iri).startswith((INFERRED_GRAPH_PREFIX, VERSION_GRAPH_PREFIX))]


def _collect(result: Result, checked: CheckedQuery, max_rows: int, page: Page | None = None) -> dict[str, Any]:
    """Plain, picklable data from an engine's Result, reading at most ``max_rows + 1`` items (with
    a ``page``: the page's rows, the others only counted)."""
    base: dict[str, Any] = {"prefixes": dict(checked.prefixes)}
    if result.type == "ASK":
        return {**base, "kind": "ask", "boolean": bool(result.askAnswer)}
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        source = result.graph if result.graph is not None else ()
        triples = list(islice(iter(source), max_rows + 1))
        return {**base, "kind": "graph", "triples": triples[:max_rows], "truncated": len(triples) > max_rows}
    columns = tuple(str(v) for v in (result.vars or ()))
    if page is not None and page.asked:
        try:
            rows_page, total, cut = page.take(iter(result), max_rows, lambda row: tuple(row))  # type: ignore[arg-type]
        finally:
            _release(result)
        return {**base, "kind": "select", "columns": columns, "rows": rows_page, "truncated": cut,
                "total": total, "offset": page.offset}
    rows: list[Row] = []
    try:
        for row in result:
            if len(rows) == max_rows:
                return {**base, "kind": "select", "columns": columns, "rows": tuple(rows), "truncated": True}
            rows.append(tuple(row))  # type: ignore[arg-type]
    finally:
        _release(result)
    return {**base, "kind": "select", "columns": columns, "rows": tuple(rows), "truncated": False}


def _release(result: Result) -> None:
    """Close a SELECT result's unread rows here and now: a store that streams rows (Oxigraph) must
    free them on the thread that made them, and stops evaluating once they are closed."""
    pending = getattr(result, "_genbindings", None)  # rdflib keeps unread rows as a generator
    if pending is not None and hasattr(pending, "close"):
        pending.close()
