"""Serve the endpoint's WSGI app over HTTP with the standard library (one thread per request)."""

from __future__ import annotations

import logging
import socket
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from explorer.errors import ExplorerError

log = logging.getLogger(__name__)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class _ThreadingWSGIServerV6(_ThreadingWSGIServer):
    address_family = socket.AF_INET6


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to ``logging`` (not straight to stderr); no reverse DNS lookups; a client
    that stops sending for ``timeout`` seconds is dropped (no slow-request thread pile-up)."""

    timeout = 30

    def address_string(self) -> str:
        return str(self.client_address[0])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.info("%s - %s", self.address_string(), format % args)


def make_http_server(app: Any, host: str = "127.0.0.1", port: int = 7878) -> WSGIServer:
    """A bound, not yet serving, threaded HTTP server for ``app`` (port 0: any free port).

    Call ``serve_forever()`` on it, and ``shutdown()`` + ``server_close()`` from another thread.
    :raises ExplorerError: the address cannot be bound (in use, not permitted).
    """
    try:
        server_class = _ThreadingWSGIServerV6 if ":" in host else _ThreadingWSGIServer
        return make_server(host, port, app, server_class=server_class, handler_class=_QuietHandler)
    except OSError as exc:
        raise ExplorerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def server_url(server: WSGIServer) -> str:
    """``http://host:port/sparql`` of a bound server."""
    address = server.server_address
    host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
    port = address[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"
