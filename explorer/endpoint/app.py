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

import contextlib
import html
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from explorer.endpoint.dataset import split_dataset
from explorer.endpoint.description import service_description
from explorer.endpoint.negotiate import GRAPH_TYPES, RESULT_TYPES, choose, format_media_type
from explorer.endpoint.protocol import MAX_BODY_BYTES, ProtocolError, SparqlRequest, read_request
from explorer.endpoint.results import Rendered, render_result
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
            status, headers, body = _error(exc.status, str(exc))
        except Exception:  # the last line of defence: log it, never show it
            log.exception("endpoint: unexpected error")
            status, headers, body = _error(500, "internal error while answering the request")
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
                ("Access-Control-Allow-Headers", _allowed_headers(environ)),
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
        if origin not in ("", _own_origin(environ)) or fetch_site in ("cross-site", "same-site"):
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
            _only_get(environ)
            return 200, [("Content-Type", "text/html; charset=utf-8")], self._home_page(environ).encode()
        if path == "/health":
            _only_get(environ)
            return self._health()
        if path == "/yasgui" or path.startswith("/yasgui/"):
            _only_get(environ)
            return yasgui_file(path)
        if path.rstrip("/") == "/queries":
            _only_get(environ)
            return _json(200, {"queries": [self._catalog_entry(q) for q in self._catalog.values()]})
        if path.startswith("/queries/"):
            return self._catalog_query(environ, path[len("/queries/"):])
        raise ProtocolError(404, f"no such path {path!r}; the SPARQL endpoint is /sparql, the catalog /queries")

    # -- queries -------------------------------------------------------------------------------

    def _answer(self, environ: Mapping[str, Any], request: SparqlRequest, query: str | NamedQuery,
                params: Mapping[str, str] | None) -> tuple[int, list[tuple[str, str]], bytes]:
        graphs = self._known_graphs(request.default_graphs, "default-graph-uri")
        named_graphs = self._known_graphs(request.named_graphs, "named-graph-uri")
        text = query.text if isinstance(query, NamedQuery) else query
        _parse_once_alone(text)
        kind = _query_kind(text)
        media = self._media_type(environ, request, graph=kind == "graph")
        self._refuse_while_strays_run()
        if not self._slots.acquire(timeout=min(5.0, self.config.limits.timeout_s)):
            raise ProtocolError(503, "the endpoint is busy with other queries; try again shortly")
        try:
            result = run_query(self.store, query, params, limits=self.config.limits, graphs=graphs,
                               named_graphs=named_graphs)
        except QueryError as exc:
            raise ProtocolError(_query_error_status(str(exc)), str(exc)) from None
        except ExplorerError as exc:
            raise ProtocolError(400, str(exc)) from None
        finally:
            self._slots.release()
        rendered = render_result(result, media)
        return 200, _result_headers(rendered, result, self.config.limits.max_rows), rendered.body

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
            _only_get(environ)
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
        _only_get(environ)
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
        return 200, _result_headers(rendered, result, limit), rendered.body

    def _health(self) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            graphs = len(self.store.graph_iris())
        except Exception:  # noqa: BLE001 - a health check reports, it does not raise
            log.exception("endpoint: health check could not read the store")
            return _json(503, {"status": "unavailable", "reason": "the store cannot be read"})
        return _json(200, {"status": "ok", "graphs": graphs, "stray_queries": stray_queries(),
                           "max_concurrent": self.config.max_concurrent})

    # -- descriptions --------------------------------------------------------------------------

    def _describe(self, environ: Mapping[str, Any], request: SparqlRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        if str(environ.get("REQUEST_METHOD", "GET")).upper() == "POST":
            raise ProtocolError(400, "no query given: send query= (form) or an application/sparql-query body")
        if request.params or request.default_graphs or request.named_graphs:
            raise ProtocolError(400, "no query= parameter given")
        media = choose(environ.get("HTTP_ACCEPT"), _DESCRIPTION_TYPES) or "text/turtle"
        endpoint = _own_origin(environ) + "/sparql"
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


#: Queries that use most of SPARQL's grammar, parsed once before serving (see warm_up_parser).
WARM_UP_QUERIES = (
    "PREFIX x: <http://example.org/> SELECT DISTINCT ?s (COUNT(?o) AS ?n) (SAMPLE(?o) AS ?m) "
    "(GROUP_CONCAT(STR(?o); separator=\",\") AS ?g) WHERE { { ?s x:p/x:q* ?o } UNION { ?s ^x:r|x:t+ ?o } "
    "OPTIONAL { ?o x:a ?b FILTER(REGEX(STR(?b), \"a\", \"i\") && LANG(?b) = \"en\" || ?b > 1.5e0) } "
    "MINUS { ?s a x:C } BIND(IF(BOUND(?b), CONCAT(\"a\", LCASE(?b)), \"\") AS ?c) "
    "VALUES ?v { 1 \"x\"@en <http://example.org/y> UNDEF } FILTER NOT EXISTS { GRAPH ?gr { ?s ?p 1 } } "
    "FILTER(?s IN (x:a, x:b) && isIRI(?s) && STRSTARTS(STR(?s), \"h\") && xsd:integer(\"1\") = 1) "
    "{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } } GROUP BY ?s HAVING (COUNT(?o) > 0) ORDER BY DESC(?n) ?s "
    "LIMIT 10 OFFSET 1",
    "ASK { ?s ?p \"x\"^^<http://www.w3.org/2001/XMLSchema#string> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    "DESCRIBE <http://example.org/a>",
)


def warm_up_parser(extra: Iterable[str] = ()) -> None:
    """Parse a spread of queries once, before clients arrive. pyparsing finds the arity of each
    parse action by trial calls the first time it runs, and that is not thread-safe: the first
    queries of a process, parsed by several threads at once, came back "malformed" or as a 500
    (``Param.postParse2() missing 1 required positional argument``) although they were valid."""
    from explorer.sparql.guard import check_read_only

    for text in (*WARM_UP_QUERIES, *extra):
        with contextlib.suppress(ExplorerError):
            check_read_only(text)


_PARSE_LOCK = threading.Lock()
_PARSED: dict[str, None] = {}  # texts parsed under the lock, oldest first (bounded)
_PARSED_MAX = 512


def _parse_once_alone(text: str) -> None:
    """Parse ``text`` once under a lock before it runs (the run parses it again, unlocked). The
    warm-up cannot reach every grammar rule, and a rule's first use by two threads at once is what
    breaks (see :func:`warm_up_parser`); after one locked parse of this text, every rule it needs
    has had its first use. Parsing is pure Python and holds the GIL anyway, so the lock costs no
    parallelism; a malformed or refused text is left for the run to report."""
    from explorer.sparql.guard import check_read_only

    with _PARSE_LOCK:
        if text in _PARSED:
            return
        with contextlib.suppress(Exception):  # only a warm-up: the run itself reports what is wrong
            check_read_only(text)
        _PARSED[text] = None
        if len(_PARSED) > _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]


def make_app(store: Any, config: EndpointConfig | None = None) -> EndpointApp:
    """The WSGI application serving ``store`` read-only.

    :raises QueryError: the query catalog could not be loaded.
    """
    return EndpointApp(store, config)


#: A Host header value: a DNS name or IPv4 address, or a bracketed IPv6 address, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


def _own_origin(environ: Mapping[str, Any]) -> str:
    """``http://host:port`` of this server as the client addressed it: the ``Host`` header if it is
    a well-formed host (it is written into the service description's IRIs), else the address the
    server is bound to."""
    host = str(environ.get("HTTP_HOST", "")).strip()
    if not _HOST.fullmatch(host):
        name = str(environ.get("SERVER_NAME", "127.0.0.1"))
        if ":" in name and not name.startswith("["):
            name = f"[{name}]"
        host = f"{name}:{environ.get('SERVER_PORT', '80')}"
        if not _HOST.fullmatch(host):
            host = "127.0.0.1"
    scheme = "https" if str(environ.get("wsgi.url_scheme", "http")) == "https" else "http"
    return f"{scheme}://{host}"


#: An HTTP header name (RFC 9110 token).
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")
_BASE_ALLOWED_HEADERS = ("Content-Type", "Accept")


def _allowed_headers(environ: Mapping[str, Any]) -> str:
    """For an allowed origin: the headers its preflight asks for (well-formed names only, at most
    32), echoed after ``Content-Type, Accept``; YASGUI and SPARQLWrapper-in-a-browser ask for their
    own (``X-Requested-With``, ``Authorization``...). Only listed origins get this at all."""
    asked = str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", ""))
    names = [n.strip() for n in asked.split(",")[:32] if _TOKEN.fullmatch(n.strip())]
    seen = {h.lower() for h in _BASE_ALLOWED_HEADERS}
    extra = [n for n in dict.fromkeys(names) if n.lower() not in seen]
    return ", ".join([*_BASE_ALLOWED_HEADERS, *extra])


def _only_get(environ: Mapping[str, Any]) -> None:
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    if method not in ("GET", "HEAD"):
        raise ProtocolError(405, f"method {method} not allowed here; use GET")


def _query_kind(text: str) -> str:
    """``graph`` for CONSTRUCT/DESCRIBE, else ``select``/``ask``: a cheap look at the query form
    keyword, only to negotiate the response type (the guard inside ``run_query``, under the time
    limit, parses and checks the query itself)."""
    form = query_form(text)
    return "graph" if form in ("CONSTRUCT", "DESCRIBE") else form.lower()


def _query_error_status(message: str) -> int:
    if message.startswith("query stopped"):
        return 503
    if message.startswith("query failed: the evaluating process died"):
        return 500
    return 400


def _result_headers(rendered: Rendered, result: QueryResult, max_rows: int) -> list[tuple[str, str]]:
    headers = [("Content-Type", rendered.content_type), ("X-Row-Limit", str(max_rows))]
    if result.truncated:
        headers.append(("X-Result-Truncated", "true"))
    return headers


def _json(status: int, value: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "application/json; charset=utf-8")], json.dumps(value, indent=2).encode()


def _error(status: int, message: str) -> tuple[int, list[tuple[str, str]], bytes]:
    line = " ".join(message.split())
    headers = [("Content-Type", "text/plain; charset=utf-8")]
    if status == 405:
        headers.append(("Allow", "GET, POST, OPTIONS"))
    if status == 503:
        headers.append(("Retry-After", "5"))
    return status, headers, (line + "\n").encode("utf-8")
