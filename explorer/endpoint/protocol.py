"""Read a SPARQL 1.1 Protocol request out of a WSGI environ: the query and its dataset.

Accepted (https://www.w3.org/TR/sparql11-protocol/#query-operation):

- ``GET ?query=...``;
- ``POST`` with ``application/x-www-form-urlencoded`` body ``query=...``;
- ``POST`` with ``application/sparql-query`` body (the query itself), other parameters in the URL.

``default-graph-uri`` (repeatable) narrows the default graph to those named graphs.
Update operations (``update=`` or ``application/sparql-update``) are refused with 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

MAX_BODY_BYTES = 256 * 1024
_QUERY_PARAMS = ("query", "default-graph-uri", "named-graph-uri", "format")


class ProtocolError(Exception):
    """A request the endpoint will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class SparqlRequest:
    """What a protocol request asks: the query text (None: no query, e.g. a service description
    request), the default-graph and named-graph IRIs, an explicit ``format=`` and other params."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None
    params: Mapping[str, list[str]] = field(default_factory=dict)


def read_request(environ: Mapping[str, Any], max_body: int = MAX_BODY_BYTES) -> SparqlRequest:
    """The SPARQL request in ``environ`` (GET or POST).

    :raises ProtocolError: 405 for other methods, 403 for updates, 413 for a body over ``max_body``,
        415 for an unknown POST body type, 400 for a malformed request.
    """
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    params = _parse_qs(str(environ.get("QUERY_STRING", "")))
    if method in ("GET", "HEAD"):
        _refuse_update(params, None)
        return _build(params, None)
    if method != "POST":
        raise ProtocolError(405, f"method {method} not allowed; use GET or POST")
    content_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise ProtocolError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    body = _read_body(environ, max_body)
    if content_type == "application/x-www-form-urlencoded":
        form = _parse_qs(_decode(body))
        _refuse_update(params, form)
        if "query" in params and "query" in form:
            raise ProtocolError(400, "give the query once: in the URL or in the form body, not both")
        merged = {**params}
        for key, values in form.items():
            merged.setdefault(key, []).extend(values)
        return _build(merged, None)
    if content_type == "application/sparql-query":
        _refuse_update(params, None)
        if "query" in params:
            raise ProtocolError(400, "a POST with an application/sparql-query body takes no query= parameter")
        return _build(params, _decode(body))
    raise ProtocolError(415, f"unsupported POST body type {content_type or '(none)'}; send "
                        "application/sparql-query or application/x-www-form-urlencoded")


def _build(params: dict[str, list[str]], body_query: str | None) -> SparqlRequest:
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, "give exactly one query= parameter")
    query = body_query if body_query is not None else (queries[0] if queries else None)
    formats = params.get("format", [])
    return SparqlRequest(
        query=query,
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
        format=formats[-1] if formats else None,
        params={k: v for k, v in params.items() if k not in _QUERY_PARAMS},
    )


def _refuse_update(params: Mapping[str, list[str]], form: Mapping[str, list[str]] | None) -> None:
    if "update" in params or (form is not None and "update" in form):
        raise ProtocolError(403, "SPARQL Update is not allowed: this endpoint is read-only")


def _read_body(environ: Mapping[str, Any], max_body: int) -> bytes:
    raw_length = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw_length:
        if str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower() == "chunked":
            raise ProtocolError(411, "send a Content-Length (chunked request bodies are not accepted)")
        return b""
    try:
        length = int(raw_length)
    except ValueError:
        raise ProtocolError(400, "bad Content-Length") from None
    if length < 0:
        raise ProtocolError(400, "bad Content-Length")
    if length > max_body:
        raise ProtocolError(413, f"request body of {length} bytes is over the limit of {max_body} bytes")
    try:
        body = bytes(environ["wsgi.input"].read(length))
    except OSError:  # the client stalled past the socket timeout or went away
        raise ProtocolError(400, "the request body did not arrive") from None
    if len(body) != length:
        raise ProtocolError(400, f"the request body ended after {len(body)} of {length} bytes")
    return body


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request is not valid UTF-8") from None


def _parse_qs(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=1000,
                        errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request parameters are not valid UTF-8") from None
    except ValueError as exc:  # too many fields
        raise ProtocolError(400, f"bad request parameters: {exc}") from None
