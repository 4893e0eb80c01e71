"""The endpoint's small answers: JSON, one-line errors, result headers, method checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from explorer.endpoint.protocol import ProtocolError
from explorer.endpoint.results import Rendered
from explorer.query.runner import QueryResult


def only_get(environ: Mapping[str, Any]) -> None:
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    if method not in ("GET", "HEAD"):
        raise ProtocolError(405, f"method {method} not allowed here; use GET")


def query_error_status(message: str) -> int:
    if message.startswith("query stopped"):
        return 503
    if message.startswith("query failed: the evaluating process died"):
        return 500
    return 400


def result_headers(rendered: Rendered, result: QueryResult, max_rows: int) -> list[tuple[str, str]]:
    headers = [("Content-Type", rendered.content_type), ("X-Row-Limit", str(max_rows))]
    if result.truncated:
        headers.append(("X-Result-Truncated", "true"))
    return headers


def json_response(status: int, value: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "application/json; charset=utf-8")], json.dumps(value, indent=2).encode()


def error(status: int, message: str) -> tuple[int, list[tuple[str, str]], bytes]:
    line = " ".join(message.split())
    headers = [("Content-Type", "text/plain; charset=utf-8")]
    if status == 405:
        headers.append(("Allow", "GET, POST, OPTIONS"))
    if status == 503:
        headers.append(("Retry-After", "5"))
    return status, headers, (line + "\n").encode("utf-8")
