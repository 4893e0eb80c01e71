"""Serve the endpoint's WSGI app on uvicorn: HTTP/1.1 keep-alive, gzip, concurrent clients.

The WSGI application (:class:`explorer.endpoint.app.EndpointApp`) keeps every rule (read-only
guard, time and row limits, body limit, CORS allow-list, stray-query accounting); this module only
carries its requests: uvicorn (h11) parses HTTP, ``a2wsgi`` runs the WSGI app on a thread pool (a
slow query holds one worker thread, never the event loop), and Starlette's ``GZipMiddleware``
compresses answers of 1 KB and more for clients that send ``Accept-Encoding: gzip``.

Before (issue 14 item 10) it was ``wsgiref``'s single-shot HTTP/1.0 server: a new connection per
request, no compression.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any
from urllib.parse import quote

from explorer.errors import ExplorerError

log = logging.getLogger(__name__)

#: Answers smaller than this go uncompressed (gzip would not pay for itself).
GZIP_MINIMUM_BYTES = 1024
#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE_S = 15
#: Largest request head (request line + headers) accepted; longer ones get 400 from h11.
MAX_HEAD_BYTES = 64 * 1024


def _protocol_class() -> type:
    """uvicorn's h11 protocol, answering clients that half-close: a client that sends its request
    and shuts its side (``shutdown(SHUT_WR)``, HTTP/1.0 habits) still gets its answer, and one whose
    body stops short of its Content-Length gets 400 (uvicorn closed both without a word)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HalfCloseH11Protocol(H11Protocol):
        def eof_received(self) -> bool:  # type: ignore[override]  # asyncio's protocol returns bool
            if self.conn.their_state is h11.SEND_BODY:  # the body ended early: h11 says 400
                self.conn.receive_data(b"")
                self.handle_events()
                return True
            # a request is being answered: keep our side open for the answer; otherwise close
            return self.cycle is not None and not self.cycle.response_complete

    return HalfCloseH11Protocol


def access_logged(app: Any) -> Any:
    """``app`` with one access line per request on this module's logger (``--verbose`` shows them):
    ``127.0.0.1 - "GET /sparql?query=... HTTP/1.1" 200``; the path is %-quoted, so request text
    cannot add lines."""

    def logged(environ: dict[str, Any], start_response: Any) -> Any:
        status: list[str] = []

        def start(line: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(line.split(" ", 1)[0])
            return start_response(line, headers, exc_info)

        result = app(environ, start)
        query = str(environ.get("QUERY_STRING", ""))
        target = quote(str(environ.get("PATH_INFO", "/")), safe="/:@!$&'()*+,;=-._~") + (f"?{query}" if query else "")
        log.info('%s - "%s %s %s" %s', environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD", "-"),
                 target.replace('"', "%22"), environ.get("SERVER_PROTOCOL", "HTTP/1.1"), status[0] if status else "-")
        return result

    return logged


def asgi_app(app: Any, workers: int = 16) -> Any:
    """``app`` (WSGI) as an ASGI application: access lines, a thread pool of ``workers`` and gzip."""
    from a2wsgi import WSGIMiddleware
    from starlette.middleware.gzip import GZipMiddleware

    inner: Any = WSGIMiddleware(access_logged(app), workers=workers)  # ASGI 3, typed by a2wsgi's own aliases
    return GZipMiddleware(inner, minimum_size=GZIP_MINIMUM_BYTES)


class EndpointServer:
    """A bound uvicorn server for a WSGI app, driven like ``socketserver`` servers:
    ``serve_forever()`` in one thread, ``shutdown()`` + ``server_close()`` from another."""

    def __init__(self, app: Any, host: str, port: int, *, workers: int = 16) -> None:
        import uvicorn

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say so; without it every
        # keep-alive answer waited ~40 ms for the client's delayed ACK (Nagle)
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        self.socket = sock
        self.server_address: tuple[Any, ...] = sock.getsockname()[:2]
        config = uvicorn.Config(
            asgi_app(app, workers), lifespan="off", log_config=None, access_log=False, server_header=False,
            timeout_keep_alive=KEEP_ALIVE_S, h11_max_incomplete_event_size=MAX_HEAD_BYTES, http=_protocol_class(),
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self, poll_interval: float = 0.5) -> None:  # noqa: ARG002 - socketserver's signature
        """Serve until :meth:`shutdown` (or, in the main thread, SIGINT/SIGTERM)."""
        self._stopped.clear()
        try:
            asyncio.run(self._server.serve(sockets=[self.socket]))
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving and wait for :meth:`serve_forever` to return."""
        self._server.should_exit = True
        self._stopped.wait(30)

    def server_close(self) -> None:
        self.socket.close()


def make_http_server(app: Any, host: str = "127.0.0.1", port: int = 7878, *, workers: int = 16) -> EndpointServer:
    """A bound, not yet serving HTTP server for ``app`` (port 0: any free port).

    Call ``serve_forever()`` on it, and ``shutdown()`` + ``server_close()`` from another thread.
    :raises ExplorerError: the address cannot be bound (in use, not permitted).
    """
    try:
        return EndpointServer(app, host, port, workers=workers)
    except OSError as exc:
        raise ExplorerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def server_url(server: EndpointServer) -> str:
    """``http://host:port/sparql`` of a bound server."""
    address = server.server_address
    host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
    port = address[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"
