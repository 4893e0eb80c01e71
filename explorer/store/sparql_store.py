"""A SPARQL 1.1 server (tested against Virtuoso 7.2) used as a store: ``sparql:URL``.

Queries go to URL as form POSTs (Virtuoso 7.2 hangs on a direct ``application/sparql-query``
POST); updates go to ``$POLICY_EXPLORER_SPARQL_UPDATE`` if set, else to URL. Credentials come from
``$POLICY_EXPLORER_SPARQL_USER`` / ``$POLICY_EXPLORER_SPARQL_PASSWORD`` (see ``sparql_http``); for
Virtuoso use ``sparql:http://host:8890/sparql-auth`` (Digest) or grant ``SPARQL_UPDATE``.

Writing a graph (``replace_graph``). Chunks of SPARQL Update (``sparql_write``) fill a fresh
temporary graph, then one request ``MOVE SILENT GRAPH <tmp> TO <g>`` replaces the target; any
failure before that drops the temporary graph and leaves ``<g>`` as it was. Why this shape,
measured on Virtuoso 7.2 (2 cores):

- One request cannot carry a policy: DROP + ``INSERT {..} WHERE {}`` of the seed policy (2,051
  triples) fails with SP031 (10,000 lines of SQL); ``INSERT DATA`` stops near 5,000 triples.
- A request is not a transaction on error: after ``DROP GRAPH <g> ; <an operation that fails>``
  the drop stays (the endpoint commits whatever ran). So the slow, failure-prone part (sending the
  triples) must not touch ``<g>``; only the final server-side ``MOVE`` does. A MOVE that times out
  is rolled back (seen: old content intact).
- Readers are not isolated from the MOVE itself: a reader polling during a 100k-triple MOVE (2.4 s)
  saw the target half cleared; for a policy graph the MOVE takes ~20 ms. A diff-style swap (ADD,
  then DELETE what the new graph lacks) keeps unchanged triples visible but loses terms: Virtuoso
  compares literals by value ("1"^^xsd:int = "1"^^xsd:integer), so it was rejected.
- SPARQL Update vs the Graph Store Protocol (PUT N-Triples to ``/sparql-graph-crud``): similar
  speed (100k triples: INSERT DATA in 1,000-triple chunks 4.3 s, GSP PUT 1.8-4.1 s; seed policy
  ~50 ms vs ~30 ms), but GSP paths differ per server and Neptune has none, so writes use Update.

Reading: every query's default graph is set with ``default-graph-uri`` parameters (the requested
graphs, or all of the store's graphs), so Virtuoso's system graphs never leak into results;
SELECT answers cut at the server's ``ResultSetMaxRows`` are paged or refused (``sparql_read``).
Temporary graphs (``urn:x-policy-explorer:tmp:...``) are never listed as store graphs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from types import TracebackType

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import ExplorerError, StoreError
from explorer.resources import queries_dir
from explorer.store.sparql_http import Answer, SparqlHttp
from explorer.store.sparql_read import run_query
from explorer.store.sparql_write import TEMP_GRAPH_PREFIX, drop_update, plan_replace
from explorer.store.values import inject_bindings

UPDATE_ENV = "POLICY_EXPLORER_SPARQL_UPDATE"
# A graph that is never written: naming it alone gives a query an empty default graph.
EMPTY_GRAPH = "urn:x-policy-explorer:empty-graph"
# Graphs an endpoint keeps for itself (Virtuoso's schemas) or a write in progress; never store graphs.
SYSTEM_GRAPH_PREFIXES = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
    EMPTY_GRAPH,
    TEMP_GRAPH_PREFIX,
)


def _internal_query(name: str) -> str:
    return (queries_dir() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


class SparqlStore:
    """Talks SPARQL 1.1 Protocol and Update over HTTP with ``urllib``."""

    def __init__(self, url: str, endpoint: str, update_endpoint: str | None = None) -> None:
        self.url = url
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or os.environ.get(UPDATE_ENV) or endpoint
        self._http = SparqlHttp([self.endpoint, self.update_endpoint])

    # --- HTTP ---------------------------------------------------------------------------------
    def _post(self, target: str, fields: list[tuple[str, str]], accept: str, what: str) -> Answer:
        return self._http.post(target, fields, accept, what=what)

    def _update(self, update: str, what: str) -> None:
        self._post(self.update_endpoint, [("update", update)], "*/*", what)

    # --- writing ------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Fill a temporary graph in chunks, then MOVE it onto ``graph_iri`` in one request.

        :raises StoreError: a term cannot be stored (before any request), or a request failed; the
            temporary graph is dropped and, unless the final MOVE itself failed, ``graph_iri`` is
            as it was.
        """
        plan = plan_replace(graph_iri, graph)
        chunks = len(plan.inserts)
        step = "the final MOVE"
        try:
            for number, text in enumerate(plan.inserts, start=1):
                step = f"chunk {number} of {chunks}"
                self._update(text, f"update writing {step} of <{graph_iri}> into <{plan.temp_iri}>")
            step = "the final MOVE"
            self._update(plan.swap, f"update moving <{plan.temp_iri}> onto <{graph_iri}>")
        except ExplorerError as exc:
            state = ("may be partly replaced; write it again" if step == "the final MOVE"
                     else "is unchanged")
            message = f"writing graph <{graph_iri}> to {self.update_endpoint} failed at {step}; it {state}: {exc}"
            try:
                self._update(plan.cleanup, f"update dropping <{plan.temp_iri}>")
            except ExplorerError as cleanup:
                message += f"; the temporary graph <{plan.temp_iri}> is left over: {cleanup}"
            raise StoreError(message) from exc

    def remove_graph(self, graph_iri: str) -> None:
        self._update(drop_update(graph_iri), f"update dropping <{graph_iri}>")

    def temporary_graphs(self) -> list[str]:
        """Temporary graphs in the endpoint: writes in progress, or left by a killed process."""
        return [g for g in self._all_graphs() if g.startswith(TEMP_GRAPH_PREFIX)]

    def drop_temporary_graphs(self) -> list[str]:
        """Drop left-over temporary graphs; only safe while no other process writes to the store."""
        graphs = self.temporary_graphs()
        for iri in graphs:
            self.remove_graph(iri)
        return graphs

    # --- reading ------------------------------------------------------------------------------
    def _all_graphs(self) -> list[str]:
        result = self._run(_internal_query("store-graph-iris"), None)
        return sorted({str(row.asdict()["g"]) for row in result})  # type: ignore[union-attr]

    def graph_iris(self) -> list[str]:
        return [g for g in self._all_graphs() if not g.startswith(SYSTEM_GRAPH_PREFIXES)]

    def get_graph(self, graph_iri: str) -> Graph:
        result = self._run(_internal_query("store-graph-triples"), [graph_iri])
        return result.graph if result.graph is not None else Graph()

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> Result:
        scope = list(graphs) if graphs is not None else self.graph_iris()
        return self._run(inject_bindings(sparql, bindings), scope)

    def _run(self, sparql: str, graphs: Sequence[str] | None) -> Result:
        """Run ``sparql``; ``graphs`` set the default graph (None = the endpoint's own default)."""
        scope = None if graphs is None else (list(graphs) or [EMPTY_GRAPH])

        def post(fields: list[tuple[str, str]], accept: str) -> Answer:
            return self._post(self.endpoint, fields, accept, "query")

        return run_query(post, self.endpoint, sparql, scope)

    def stats(self) -> dict[str, int]:
        iris = self.graph_iris()
        result = self._run(_internal_query("store-count-triples"), iris or [EMPTY_GRAPH])
        rows = [row.asdict() for row in result]  # type: ignore[union-attr]
        count = rows[0].get("n", 0) if rows else 0
        return {"graphs": len(iris), "triples": int(str(count))}

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def __enter__(self) -> SparqlStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
