"""A tiny HTTP client for the tests (urllib; errors come back as responses, not exceptions), and
``serve()``: an endpoint app on a free loopback port, shared with tests/security."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message

from explorer.endpoint import EndpointConfig, make_app, make_http_server, server_url


@dataclass(frozen=True)
class Served:
    url: str        # http://127.0.0.1:PORT/sparql
    base: str       # http://127.0.0.1:PORT
    store: object


@contextmanager
def serve(store: object, config: EndpointConfig) -> Iterator[Served]:
    """``store`` served read-only over real HTTP on 127.0.0.1 (any free port) until the block ends."""
    server = make_http_server(make_app(store, config), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = server_url(server)
    try:
        yield Served(url, url.removesuffix("/sparql"), store)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()


def request(url: str, *, method: str = "GET", params: dict[str, object] | None = None,
            data: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
    if params:
        url = url + "?" + urllib.parse.urlencode(params, doseq=True)
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.headers, exc.read())


def get_query(url: str, query: str, accept: str | None = None, **params: object) -> Reply:
    return request(url, params={"query": query, **params}, headers={"Accept": accept} if accept else {})


def post_form(url: str, fields: dict[str, object], accept: str | None = None) -> Reply:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return request(url, method="POST", data=urllib.parse.urlencode(fields, doseq=True).encode(), headers=headers)


def post_direct(url: str, query: str, accept: str | None = None, content_type: str = "application/sparql-query",
                params: dict[str, object] | None = None) -> Reply:
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    return request(url, method="POST", data=query.encode("utf-8"), headers=headers, params=params)
