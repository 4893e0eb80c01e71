"""A SPARQL 1.1 server (tested against Virtuoso 7.2) used as a store: ``sparql:URL``.

Queries go to URL as form POSTs (Virtuoso 7.2 hangs on a direct ``application/sparql-query``
POST); updates go to ``$POLICY_EXPLORER_SPARQL_UPDATE`` if set, else to URL. Credentials come from
``$POLICY_EXPLORER_SPARQL_USER`` / ``$POLICY_EXPLORER_SPARQL_PASSWORD`` (``sparql_http``); for
Virtuoso use ``sparql:http://host:8890/sparql-auth`` (Digest), or grant ``SPARQL_UPDATE``.

Writing graphs (``replace_graphs``): chunks of SPARQL Update fill a fresh temporary graph per
target, then one request swaps them all in (``sparql_write``); a failure or a kill before the swap
leaves every target as it was (a failure also drops the temporary graphs). Measured on Virtuoso
7.2 (2 cores), this is why:

- one request cannot carry a policy: DROP + ``INSERT {..} WHERE {}`` of the seed policy (2,051
  triples) fails with SP031 (10,000 lines of SQL), and ``INSERT DATA`` stops near 5,000 triples;
- a request is not a transaction on error: after ``DROP GRAPH <g> ; <an operation that fails>``
  the drop stays (the endpoint commits whatever ran), so sending the triples, the slow part that
  can fail, must not touch ``<g>``. A swap that times out is rolled back (old content seen intact);
- readers are not isolated from the swap: a reader polling during a 100k-triple MOVE (2.4 s) saw
  the target half cleared; for a policy graph the swap takes ~20-90 ms. A diff-style swap (ADD,
  then DELETE what the new graph lacks) keeps unchanged triples visible but loses terms: Virtuoso
  compares literals by value ("1"^^xsd:int = "1"^^xsd:integer). Rejected;
- SPARQL Update, not the Graph Store Protocol (PUT N-Triples to ``/sparql-graph-crud``): similar
  speed (100k triples: INSERT DATA in 1,000-triple chunks 2.9-4.3 s, GSP PUT 1.8-4.1 s; the seed
  policy ~50 ms vs ~30 ms), but GSP paths differ per server and Neptune has none.

Reading: queries over all graphs run on the store's union graph (each triple once, as on the
Oxigraph store; ``sparql_write``), chosen graphs are named per query (``sparql_scope``), so a
server's system graphs and writes in progress never show. SELECT answers cut at the server's
``ResultSetMaxRows`` are paged or refused (``sparql_read``). Until the first write builds the union,
a server written by other tools is read over all its graphs but its own (``sparql_scope``).
"""

from __future__ import annotations

import os
import time
import urllib.error
from collections.abc import Mapping, Sequence

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import ExplorerError, QueryError, StoreError
from explorer.internal_queries import internal_query
from explorer.sparql.lexer import significant
from explorer.sparql.values import inject_bindings
from explorer.store.base import ClosesOnExit, outside_union
from explorer.store.sparql_http import Answer, SparqlHttp
from explorer.store.sparql_read import run_query
from explorer.store.sparql_scope import Scope, scoped_request
from explorer.store.sparql_write import (
    OWN_GRAPH_PREFIX,
    SYSTEM_GRAPH_PREFIXES,
    TEMP_GRAPH_PREFIX,
    UNION_GRAPH,
    drop_update,
    plan_replace,
    rebuild_union_update,
)

UPDATE_ENV = "POLICY_EXPLORER_SPARQL_UPDATE"
EXCLUSION_TTL_S = 2.0
VIRTUOSO_FIXED_GRAPH_BUG = "ssg_print_rvr_fixed_val"
# A graph that is never written: naming it alone gives a query an empty default graph.
EMPTY_GRAPH = OWN_GRAPH_PREFIX + "empty-graph"
# Graphs a server keeps for itself, and the store's own (union, writes in progress): never listed.
HIDDEN_GRAPH_PREFIXES = (*SYSTEM_GRAPH_PREFIXES, OWN_GRAPH_PREFIX)


def _refused(exc: BaseException) -> bool:
    """True when the server turned the request away unread (no access, no server), so it did nothing."""
    cause = exc.__cause__
    if isinstance(cause, urllib.error.HTTPError):
        return cause.code in (401, 403, 404, 405)
    return isinstance(cause, urllib.error.URLError) and isinstance(cause.reason, ConnectionRefusedError)


class SparqlStore(ClosesOnExit):
    """Talks SPARQL 1.1 Protocol and Update over HTTP with ``urllib``."""

    revision: int | None = None  # other clients of the server write too: nothing read may be cached

    def __init__(self, url: str, endpoint: str, update_endpoint: str | None = None) -> None:
        self.url = url
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or os.environ.get(UPDATE_ENV) or endpoint
        self._http = SparqlHttp([self.endpoint, self.update_endpoint])
        self._virtuoso: bool | None = None
        self._excluded: tuple[float, tuple[str, ...]] | None = None
        self._union = False

    # --- HTTP ---------------------------------------------------------------------------------
    def _post(self, target: str, fields: list[tuple[str, str]], accept: str, what: str) -> Answer:
        return self._http.post(target, fields, accept, what=what)

    def _update(self, update: str, what: str) -> None:
        self._excluded = None
        self._post(self.update_endpoint, [("update", update)], "*/*", what)

    # --- writing ------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Fill a temporary graph in chunks, then MOVE it onto ``graph_iri`` in one request
        (see :meth:`replace_graphs`)."""
        self.replace_graphs({graph_iri: graph})

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Fill one temporary graph per target in chunks, then swap them all in with one request
        (every union update and ``MOVE``): a process killed before that request leaves every target
        as it was (and temporary graphs, hidden), one killed after it leaves every target new.

        :raises StoreError: a term cannot be stored (before any request), or a request failed; the
            temporary graphs are dropped and, unless the final swap itself failed, every target is
            as it was.
        """
        plans = [plan_replace(graph_iri, graph) for graph_iri, graph in graphs.items()]
        if not plans:
            return
        self._ensure_union()
        targets = ", ".join(f"<{p.graph_iri}>" for p in plans)
        temps = ", ".join(f"<{p.temp_iri}>" for p in plans)
        chunks = sum(len(p.inserts) for p in plans)
        step, written, number = "the final MOVE", False, 0
        try:
            for plan in plans:
                for text in plan.inserts:
                    number += 1
                    step = f"chunk {number} of {chunks}"
                    self._update(text, f"update writing {step} of {targets} into <{plan.temp_iri}>")
                    written = True
            step = "the final MOVE"
            # earlier versions' graphs first: once moved in, their triples no longer count as held
            # by a temporary graph when the union drops the orphans of the other targets
            swaps = sorted(plans, key=lambda p: not outside_union(p.graph_iri))
            self._update(" ;\n".join(p.swap for p in swaps), f"update moving {temps} onto {targets}")
        except ExplorerError as exc:
            refused = _refused(exc)
            state = (
                "may be partly replaced; write it again" if step == "the final MOVE" and not refused else "is unchanged"
            )
            noun = "graph" if len(plans) == 1 else "graphs"
            message = f"writing {noun} {targets} to {self.update_endpoint} failed at {step}; it {state}: {exc}"
            if written or not refused:  # only a refused first request surely left no temporary graph
                try:
                    self._update(" ;\n".join(p.cleanup for p in plans), f"update dropping {temps}")
                except ExplorerError as cleanup:
                    verb = "is" if len(plans) == 1 else "are"
                    message += f"; the temporary {noun} {temps} {verb} left over: {cleanup}"
            raise StoreError(message) from exc

    def remove_graph(self, graph_iri: str) -> None:
        self._ensure_union()
        self._update(drop_update(graph_iri), f"update dropping <{graph_iri}>")

    def rebuild_union(self) -> None:
        """Refill the union graph from the store's graphs (after a write failed in its last step)."""
        self._update(rebuild_union_update(), f"update rebuilding <{UNION_GRAPH}>")
        self._union = True

    def _ensure_union(self) -> None:
        """Before the first write: build the union graph if this store has none yet."""
        if not self._union_ready():
            self.rebuild_union()

    def _union_ready(self) -> bool:
        """Whether the union graph is complete (asked until it is, then remembered)."""
        if not self._union:
            self._union = bool(self._run(internal_query("sparql-union-complete"), None).askAnswer)
        return self._union

    def temporary_graphs(self) -> list[str]:
        """Temporary graphs in the endpoint: writes in progress, or left by a killed process."""
        return [g for g in self._all_graphs() if g.startswith(TEMP_GRAPH_PREFIX)]

    def drop_temporary_graphs(self) -> list[str]:
        """Drop left-over temporary graphs; only safe while no other process writes to the store."""
        graphs = self.temporary_graphs()
        for iri in graphs:
            self._update(drop_update(iri, union=False), f"update dropping <{iri}>")
        return graphs

    # --- reading ------------------------------------------------------------------------------
    def _all_graphs(self) -> list[str]:
        result = self._run(internal_query("sparql-graph-iris"), None)
        return sorted({str(row.asdict()["g"]) for row in result})  # type: ignore[union-attr]

    def graph_iris(self) -> list[str]:
        return [g for g in self._all_graphs() if not g.startswith(HIDDEN_GRAPH_PREFIXES)]

    def get_graph(self, graph_iri: str) -> Graph:
        result = self._run(internal_query("store-graph-triples"), Scope(include=(graph_iri,)))
        return result.graph if result.graph is not None else Graph()

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Result:
        text = inject_bindings(sparql, bindings)
        # an empty list must mean no named graph, not the server's default (all of them)
        if named_graphs is None and graphs_named_in(text):
            # GRAPH patterns see this store's graphs, never the server's nor the store's hidden ones
            # (Virtuoso cannot combine a named-graph exclusion with chosen default graphs)
            named_graphs = self.graph_iris()
        named = None if named_graphs is None else (tuple(named_graphs) or (EMPTY_GRAPH,))
        if graphs is not None:
            return self._run(text, Scope(include=tuple(graphs), named=named))
        if self._union_ready():
            return self._run(text, Scope(include=(UNION_GRAPH,), named=named))
        if self._is_virtuoso():
            return self._run(text, Scope(exclude=self._excluded_graphs(), named=named))
        return self._run(text, Scope(include=tuple(self.graph_iris()), named=named))

    def _run(self, sparql: str, scope: Scope | None) -> Result:
        """Run ``sparql`` with ``scope`` as its default graph (None = the endpoint's own default)."""
        if scope is not None and scope.include is not None and not scope.include:
            scope = Scope(include=(EMPTY_GRAPH,), named=scope.named)
        text, dataset = scoped_request(sparql, scope, self._is_virtuoso())

        def post(fields: list[tuple[str, str]], accept: str) -> Answer:
            return self._post(self.endpoint, fields, accept, "query")

        try:
            return run_query(post, self.endpoint, text, dataset)
        except QueryError as exc:
            # Virtuoso 7.2's compiler fails on VALUES or BIND + OPTIONAL over exactly one graph
            # ("ssg_print_rvr_fixed_val(): no SPART_VARR_FIXED"); a second, empty graph avoids it.
            if (
                scope is None
                or scope.include is None
                or len(scope.include) != 1
                or VIRTUOSO_FIXED_GRAPH_BUG not in str(exc)
            ):
                raise
        return self._run(sparql, Scope(include=(*scope.include, EMPTY_GRAPH), named=scope.named))

    def _excluded_graphs(self) -> tuple[str, ...]:
        """System and temporary graphs, from a listing at most ``EXCLUSION_TTL_S`` old (a listing
        costs ~50 ms at 2,000 graphs); this store's own updates start a new listing."""
        now = time.monotonic()
        if self._excluded is None or now - self._excluded[0] > EXCLUSION_TTL_S:
            self._excluded = (now, tuple(g for g in self._all_graphs() if g.startswith(HIDDEN_GRAPH_PREFIXES)))
        return self._excluded[1]

    def _is_virtuoso(self) -> bool:
        """Whether the endpoint is Virtuoso (its ``Server`` header), asked once per store."""
        if self._virtuoso is None:
            answer = self._post(self.endpoint, [("query", "ASK {}")], "application/sparql-results+json", "probe")
            self._virtuoso = str(answer.headers.get("Server", "")).startswith("Virtuoso")
        return self._virtuoso

    def stats(self) -> dict[str, int]:
        iris = self.graph_iris()
        result = self.query(internal_query("store-count-triples"))
        rows = [row.asdict() for row in result]  # type: ignore[union-attr]
        count = rows[0].get("n", 0) if rows else 0
        return {"graphs": len(iris), "triples": int(str(count))}

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def graphs_named_in(sparql: str) -> bool:
    """Whether ``sparql`` has a ``GRAPH`` pattern (the keyword outside strings, IRIs and comments)."""
    return any(t.kind == "word" and t.text.upper() == "GRAPH" for t in significant(sparql))
