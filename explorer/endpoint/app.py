"""The read-only SPARQL 1.1 Protocol endpoint as a WSGI application.

Routes::

    GET  /                      a short HTML page (no scripts, no remote resources)
    GET  /sparql                without ``query``: the Service Description (Turtle, JSON-LD ...)
    GET|POST /sparql            a query (SPARQL 1.1 Protocol); results by ``Accept`` or ``format=``
    GET  /queries               the analysts' query catalog (JSON)
    GET|POST /queries/NAME      run catalog query NAME; its parameters come as ``?param=value``
    GET  /queries/NAME.rq       the SPARQL text of NAME
    GET  /sparql?graph=IRI      one named graph of the store (Graph Store Protocol, read only)
    GET  /health                ``{"status": "ok", ...}`` (503 when the store cannot be read)
    GET  /yasgui/               YASGUI, served from this server (vendored, no remote resources)

Every query passes :func:`explorer.query.runner.run_query`: the read-only guard (no Update, LOAD,
SERVICE, FROM), the time limit and the row limit. ``FROM <iri>`` naming graphs of this store is
read like ``default-graph-uri`` (:mod:`explorer.endpoint.dataset`: cut from the text, never
fetched); any other FROM is refused. A result cut at the row limit carries
``X-Result-Truncated: true``. Errors are one line of ``text/plain`` with a 4xx/5xx status, never a
traceback.

Cross-origin access is a setting (``EndpointConfig.cors_origins``, ``--cors-origin``), empty by
default: a web page on another origin gets no ``Access-Control-Allow-Origin`` (so it cannot read an
answer), and its ad hoc query text is refused with 403 before anything runs (a browser sends simple
GET/POST requests cross-origin whatever CORS says; ``Origin`` and ``Sec-Fetch-Site`` tell them
apart). Listed origins (the origin of a YASGUI page; ``*`` for any) may query and read. Ad hoc text
runs exactly as sent: its ``# param:`` lines bind nothing (issue 11).

Text from documents never becomes markup: the only HTML is the home page (catalog names and titles,
``html.escape``d); results are SPARQL JSON/XML/CSV/TSV or RDF, written by serializers that escape
``<`` and ``&``; every answer carries ``X-Content-Type-Options: nosniff`` (no browser guesses HTML)
and a ``Content-Security-Policy`` that allows no script, style, image or frame at all, so even a
page opened in a browser cannot run or load anything.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from explorer.endpoint.dataset import split_dataset
from explorer.endpoint.description import service_description
from explorer.endpoint.negotiate import GRAPH_TYPES, RESULT_TYPES, choose, format_media_type
from explorer.endpoint.origins import allowed_headers, own_origin
from explorer.endpoint.parse_warmup import parse_once_alone, warm_up_parser
from explorer.endpoint.protocol import MAX_BODY_BYTES, ProtocolError, SparqlRequest, read_request
from explorer.endpoint.responses import error, json_response, only_get, query_error_status, result_headers
from explorer.endpoint.results import render_result
from explorer.endpoint.yasgui import yasgui_file
from explorer.errors import ExplorerError, QueryError
from explorer.query.catalog import NamedQuery, load_catalog
from explorer.query.limits import QueryLimits, stray_queries
from explorer.query.runner import QueryResult, run_query, untrusted_query
from explorer.store.results import query_form

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]

_REASONS = {414: "URI Too Long", 200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 406: "Not Acceptable", 411: "Length Required",
            413: "Payload Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error",
            503: "Service Unavailable"}
_DESCRIPTION_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
#: The longest request URL (path and query string) answered; longer: 414, POST the query instead.
MAX_URL_CHARS = 65_536
#: Nothing may run, load or frame: the home page is plain HTML with one form posting to this server.
CONTENT_SECURITY_POLICY = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"


@dataclass(frozen=True)
class EndpointConfig:
    """How the endpoint guards itself: query limits, request size, concurrency and CORS origin."""

    limits: QueryLimits = field(default_factory=QueryLimits)
    max_body_bytes: int = MAX_BODY_BYTES
    max_concurrent: int = 4
    #: Origins (``https://yasgui.example``) whose pages may query and read answers; ``*``: any.
    cors_origins: tuple[str, ...] = ()
    catalog_dir: str | None = None


class EndpointApp:
    """A WSGI callable serving ``store`` read-only. Thread-safe if the store is."""

    def __init__(self, store: Any, config: EndpointConfig | None = None) -> None:
        self.store = store
        self.config = config or EndpointConfig()
        self._slots = threading.BoundedSemaphore(self.config.max_concurrent)
        self._catalog: dict[str, NamedQuery] = load_catalog(self.config.catalog_dir)
        warm_up_parser(q.text for q in self._catalog.values())

    # -- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        try:
            if method == "OPTIONS":
                status, headers, body = 204, [], b""
                if self._allowed_origin(environ):
                    headers = [("Access-Control-Max-Age", "86400")]
            elif len(str(environ.get("QUERY_STRING", ""))) + len(str(environ.get("PATH_INFO", ""))) > MAX_URL_CHARS:
                raise ProtocolError(414, f"the request URL is over {MAX_URL_CHARS} characters; POST the query")
            else:
                status, headers, body = self._route(environ)
        except ProtocolError as exc:
            status, headers, body = error(exc.status, str(exc))
        except Exception:  # the last line of defence: log it, never show it
            log.exception("endpoint: unexpected error")
            status, headers, body = error(500, "internal error while answering the request")
        own_policy = any(name == "Content-Security-Policy" for name, _ in headers)  # the YASGUI page's
        headers = [*headers, *(h for h in self._common_headers(environ)
                               if not (own_policy and h[0] == "Content-Security-Policy"))]
        if method == "HEAD":
            body = b""
        start_response(f"{status} {_REASONS.get(status, 'Error')}", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _common_headers(self, environ: Mapping[str, Any]) -> list[tuple[str, str]]:
        headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            ("Vary", "Accept, Origin"),
        ]
        origin = self._allowed_origin(environ)
        if origin:
            headers += [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", allowed_headers(environ)),
                ("Access-Control-Expose-Headers", "X-Result-Truncated, X-Row-Limit"),
            ]
        return headers

    def _allowed_origin(self, environ: Mapping[str, Any]) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for this request, or None (not allowed)."""
        allowed = self.config.cors_origins
        if "*" in allowed:
            return "*"
        origin = str(environ.get("HTTP_ORIGIN", "")).strip()
        return origin if origin and origin in allowed else None

    def _refuse_cross_origin_text(self, environ: Mapping[str, Any]) -> None:
        """Ad hoc query text sent by a page on another origin runs only if that origin is allowed."""
        if self._allowed_origin(environ):
            return
        origin = str(environ.get("HTTP_ORIGIN", "")).strip()
        fetch_site = str(environ.get("HTTP_SEC_FETCH_SITE", "")).strip().lower()
        if origin not in ("", own_origin(environ)) or fetch_site in ("cross-site", "same-site"):
            raise ProtocolError(403, "query text from a page on another origin is not accepted; "
                                "start the endpoint with --cors-origin ORIGIN to allow that page")

    def _route(self, environ: Mapping[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        path = str(environ.get("PATH_INFO", "/")) or "/"
        if path.rstrip("/") == "/sparql":
            request = read_request(environ, self.config.max_body_bytes)
            if request.query is None and "graph" in request.params:
                return self._graph_download(environ, request)
            if request.query is None:
                return self._describe(environ, request)
            self._refuse_cross_origin_text(environ)
            dataset = split_dataset(request.query, set(self.store.graph_iris()))
            if not (request.default_graphs or request.named_graphs):  # the protocol's dataset wins over FROM
                request = replace(request, default_graphs=dataset.default_graphs,
                                  named_graphs=dataset.named_graphs)
            return self._answer(environ, request, untrusted_query(dataset.text), None)
        if path in ("/", "/index.html"):
            only_get(environ)
            return 200, [("Content-Type", "text/html; charset=utf-8")], self._home_page(environ).encode()
        if path == "/health":
            only_get(environ)
            return self._health()
        if path == "/yasgui" or path.startswith("/yasgui/"):
            only_get(environ)
            return yasgui_file(path)
        if path.rstrip("/") == "/queries":
            only_get(environ)
            return json_response(200, {"queries": [self._catalog_entry(q) for q in self._catalog.values()]})
        if path.startswith("/queries/"):
            return self._catalog_query(environ, path[len("/queries/"):])
        raise ProtocolError(404, f"no such path {path!r}; the SPARQL endpoint is /sparql, the catalog /queries")

    # -- queries -------------------------------------------------------------------------------

    def _answer(self, environ: Mapping[str, Any], request: SparqlRequest, query: str | NamedQuery,
                params: Mapping[str, str] | None) -> tuple[int, list[tuple[str, str]], bytes]:
        graphs = self._known_graphs(request.default_graphs, "default-graph-uri")
        named_graphs = self._known_graphs(request.named_graphs, "named-graph-uri")
        text = query.text if isinstance(query, NamedQuery) else query
        parse_once_alone(text)
        kind = _query_kind(text)
        media = self._media_type(environ, request, graph=kind == "graph")
        self._refuse_while_strays_run()
        if not self._slots.acquire(timeout=min(5.0, self.config.limits.timeout_s)):
            raise ProtocolError(503, "the endpoint is busy with other queries; try again shortly")
        try:
            result = run_query(self.store, query, params, limits=self.config.limits, graphs=graphs,
                               named_graphs=named_graphs)
        except QueryError as exc:
            raise ProtocolError(query_error_status(str(exc)), str(exc)) from None
        except ExplorerError as exc:
            raise ProtocolError(400, str(exc)) from None
        finally:
            self._slots.release()
        rendered = render_result(result, media)
        return 200, result_headers(rendered, result, self.config.limits.max_rows), rendered.body

    def _refuse_while_strays_run(self) -> None:
        """In thread isolation a query stopped at the time limit may go on evaluating (Oxigraph
        cannot be interrupted before its next row); once ``max_concurrent`` of them run, answer 503
        instead of piling up more (each holds a core and memory)."""
        if self.config.limits.isolation != "thread":
            return
        strays = stray_queries()
        if strays >= self.config.max_concurrent:
            raise ProtocolError(503, f"the endpoint is still finishing {strays} queries that exceeded the time "
                                "limit; try again shortly")

    def _known_graphs(self, wanted: Sequence[str], parameter: str) -> list[str] | None:
        """``wanted`` (None when empty: the whole store), each a graph of this store, never fetched."""
        if not wanted:
            return None
        known = set(self.store.graph_iris())
        unknown = [g for g in wanted if g not in known]
        if unknown:
            raise ProtocolError(400, f"{parameter} {unknown[0]!r} is not a graph of this store "
                                "(GET /sparql lists them); nothing is ever fetched")
        return list(dict.fromkeys(wanted))

    def _media_type(self, environ: Mapping[str, Any], request: SparqlRequest, *, graph: bool) -> str:
        offered = GRAPH_TYPES if graph else RESULT_TYPES
        if request.format:
            media = format_media_type(request.format, graph=graph)
            if media is None:
                raise ProtocolError(406, f"format {request.format!r} does not suit this query; "
                                    f"offered: {', '.join(offered)}")
            return media
        media = choose(environ.get("HTTP_ACCEPT"), offered)
        if media is None:
            raise ProtocolError(406, f"none of the accepted types is offered; offered: {', '.join(offered)}")
        return media

    def _catalog_query(self, environ: Mapping[str, Any], name: str) -> tuple[int, list[tuple[str, str]], bytes]:
        as_text = name.endswith(".rq")
        name = name[:-3] if as_text else name
        query = self._catalog.get(name)
        if query is None:
            raise ProtocolError(404, f"unknown query {name!r}; known: {', '.join(self._catalog) or '(none)'}")
        if as_text:
            only_get(environ)
            return 200, [("Content-Type", "application/sparql-query; charset=utf-8")], query.text.encode()
        request = read_request(environ, self.config.max_body_bytes)
        if request.query is not None:
            raise ProtocolError(400, "a catalog query takes parameters, not query=; POST your own "
                                "query to /sparql")
        params = {}
        for key, values in request.params.items():
            if len(values) != 1:
                raise ProtocolError(400, f"parameter {key!r} given {len(values)} times; give it once")
            params[key] = values[0]
        return self._answer(environ, request, query, params)

    def _catalog_entry(self, query: NamedQuery) -> dict[str, Any]:
        return {
            "name": query.name,
            "title": query.title,
            "description": query.description,
            "parameters": [
                {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                 "description": p.description}
                for p in query.parameters
            ],
            "columns": list(query.columns),
            "url": f"/queries/{query.name}",
            "sparql": f"/queries/{query.name}.rq",
        }

    # -- graph store (read), health --------------------------------------------------------------

    def _graph_download(self, environ: Mapping[str, Any],
                        request: SparqlRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        """``GET /sparql?graph=IRI``: one of the store's named graphs, in the format Accept (or
        ``format=``) asks, cut at the row limit like a CONSTRUCT."""
        only_get(environ)
        wanted = request.params["graph"]
        extra = set(request.params) - {"graph"}
        if len(wanted) != 1 or extra or request.default_graphs or request.named_graphs:
            raise ProtocolError(400, "give one graph= IRI and nothing else (GET /sparql lists the graphs)")
        iri = wanted[0]
        if iri not in set(self.store.graph_iris()):
            raise ProtocolError(404, f"graph {iri!r} is not a graph of this store (GET /sparql lists them)")
        media = self._media_type(environ, request, graph=True)
        graph = self.store.get_graph(iri)
        limit = self.config.limits.max_rows
        truncated = len(graph) > limit
        if truncated:
            from rdflib import Graph

            cut = Graph()
            for index, triple in enumerate(graph):
                if index >= limit:
                    break
                cut.add(triple)
            graph = cut
        result = QueryResult(kind="graph", graph=graph, truncated=truncated)
        rendered = render_result(result, media)
        return 200, result_headers(rendered, result, limit), rendered.body

    def _health(self) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            graphs = len(self.store.graph_iris())
        except Exception:  # noqa: BLE001 - a health check reports, it does not raise
            log.exception("endpoint: health check could not read the store")
            return json_response(503, {"status": "unavailable", "reason": "the store cannot be read"})
        return json_response(200, {"status": "ok", "graphs": graphs, "stray_queries": stray_queries(),
                           "max_concurrent": self.config.max_concurrent})

    # -- descriptions --------------------------------------------------------------------------

    def _describe(self, environ: Mapping[str, Any], request: SparqlRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        if str(environ.get("REQUEST_METHOD", "GET")).upper() == "POST":
            raise ProtocolError(400, "no query given: send query= (form) or an application/sparql-query body")
        if request.params or request.default_graphs or request.named_graphs:
            raise ProtocolError(400, "no query= parameter given")
        media = choose(environ.get("HTTP_ACCEPT"), _DESCRIPTION_TYPES) or "text/turtle"
        endpoint = own_origin(environ) + "/sparql"
        graph = service_description(endpoint, self.store.graph_iris())
        result = QueryResult(kind="graph", graph=graph)
        rendered = render_result(result, media)
        return 200, [("Content-Type", rendered.content_type)], rendered.body

    def _home_page(self, environ: Mapping[str, Any]) -> str:
        items = "".join(
            f'<li><a href="/queries/{html.escape(q.name)}.rq">{html.escape(q.name)}</a>: '
            f"{html.escape(q.title)}</li>"
            for q in self._catalog.values()
        )
        limits = self.config.limits
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>Policy Explorer SPARQL endpoint"
            "</title></head><body><h1>Policy Explorer SPARQL endpoint (read-only)</h1>"
            "<p>SPARQL 1.1 Protocol endpoint: <code>/sparql</code> (GET or POST). "
            f"Time limit {limits.timeout_s:g} s, row limit {limits.max_rows}.</p>"
            "<form method='post' action='/sparql'><textarea name='query' rows='8' cols='80'>"
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea><br>"
            "<select name='format'><option>json</option><option>xml</option><option>csv</option>"
            "<option>tsv</option></select> <button type='submit'>Run</button></form>"
            "<p><a href='/yasgui/'>YASGUI</a>: a query editor with result tables and charts, served by "
            "this endpoint (nothing loaded from elsewhere). <a href='/health'>Health</a>; a named graph: "
            "<code>/sparql?graph=IRI</code> (the graphs: <a href='/sparql'>service description</a>).</p>"
            f"<h2>Query catalog (<a href='/queries'>JSON</a>)</h2><ul>{items}</ul></body></html>"
        )


def make_app(store: Any, config: EndpointConfig | None = None) -> EndpointApp:
    """The WSGI application serving ``store`` read-only.

    :raises QueryError: the query catalog could not be loaded.
    """
    return EndpointApp(store, config)


def _query_kind(text: str) -> str:
    """``graph`` for CONSTRUCT/DESCRIBE, else ``select``/``ask``: a cheap look at the query form
    keyword, only to negotiate the response type (the guard inside ``run_query``, under the time
    limit, parses and checks the query itself)."""
    form = query_form(text)
    return "graph" if form in ("CONSTRUCT", "DESCRIBE") else form.lower()


