"""A SPARQL 1.1 Protocol endpoint (e.g. Virtuoso's ``/sparql``) used as a store.

Queries and updates go to the URL given (updates to ``$POLICY_EXPLORER_SPARQL_UPDATE`` if set).
The default graph of every query is set with ``default-graph-uri`` parameters: the requested
graphs, or all of the store's graphs, so an endpoint's own system graphs never leak into results.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from types import TracebackType

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import QueryError, StoreError
from explorer.resources import queries_dir
from explorer.store.results import ask_result, graph_result, query_form, select_result
from explorer.store.updates import drop_graph_update, replace_graph_update
from explorer.store.values import inject_bindings

UPDATE_ENV = "POLICY_EXPLORER_SPARQL_UPDATE"
TIMEOUT_SECONDS = 120.0
# A graph that is never written: naming it alone gives a query an empty default graph.
EMPTY_GRAPH = "urn:x-policy-explorer:empty-graph"
# Graphs an endpoint keeps for itself (Virtuoso's schemas); never listed as store graphs.
SYSTEM_GRAPH_PREFIXES = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
    EMPTY_GRAPH,
)
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
# Only formats that cannot make the parser fetch anything: no JSON-LD (remote @context) and no
# RDF/XML (external entities). Any other answer is an error, not a guess.


def _internal_query(name: str) -> str:
    return (queries_dir() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


def _json_term(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


class SparqlStore:
    """Talks SPARQL 1.1 Protocol over HTTP with ``urllib``; no state besides the URLs."""

    def __init__(self, url: str, endpoint: str, update_endpoint: str | None = None) -> None:
        self.url = url
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or os.environ.get(UPDATE_ENV) or endpoint

    # --- HTTP ---------------------------------------------------------------------------------
    def _post(self, target: str, fields: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        data = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(
            target,
            data=data,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", errors="replace")[:1000]
            if exc.code == 400:
                raise QueryError(f"SPARQL endpoint {target} rejected the request: {detail}") from exc
            raise StoreError(f"SPARQL endpoint {target} answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach SPARQL endpoint {target}: {exc}") from exc

    def _update(self, update: str) -> None:
        self._post(self.update_endpoint, [("update", update)], "*/*")

    # --- writing ------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """One update request (DROP + INSERT DATA), which the endpoint applies as one transaction."""
        self._update(replace_graph_update(graph_iri, graph, insert_where=True))

    def remove_graph(self, graph_iri: str) -> None:
        self._update(drop_graph_update(graph_iri))

    # --- reading ------------------------------------------------------------------------------
    def graph_iris(self) -> list[str]:
        result = self._run(_internal_query("store-graph-iris"), None)
        iris = {str(row.asdict()["g"]) for row in result}  # type: ignore[union-attr]
        return sorted(g for g in iris if not g.startswith(SYSTEM_GRAPH_PREFIXES))

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
        form = query_form(sparql)
        fields = [("query", sparql)]
        if graphs is not None:
            fields += [("default-graph-uri", g) for g in (graphs or [EMPTY_GRAPH])]
        if form in ("CONSTRUCT", "DESCRIBE"):
            ctype, body = self._post(self.endpoint, fields, "text/turtle, application/n-triples;q=0.9")
            if ctype not in RDF_FORMATS:
                raise StoreError(f"{self.endpoint} answered {ctype}; expected Turtle or N-Triples")
            graph = Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format=RDF_FORMATS[ctype])
            except Exception as exc:  # rdflib raises many parser-specific types
                raise StoreError(f"unreadable {ctype} answer from {self.endpoint}: {exc}") from exc
            return graph_result(graph, form)
        _, body = self._post(self.endpoint, fields, "application/sparql-results+json")
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise StoreError(f"unreadable JSON answer from {self.endpoint}: {exc}") from exc
        if "boolean" in payload:
            return ask_result(bool(payload["boolean"]))
        variables = payload["head"]["vars"]
        rows = [
            {name: _json_term(b[name]) if name in b else None for name in variables}
            for b in payload["results"]["bindings"]
        ]
        return select_result(variables, rows)

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
