"""HTTP for the ``sparql:`` store: form POSTs with ``urllib``, credentials from the environment.

Credentials come from ``POLICY_EXPLORER_SPARQL_USER`` / ``POLICY_EXPLORER_SPARQL_PASSWORD`` (never
from argv or the store URL) and are offered only to the store's own endpoint URLs, with HTTP Digest
(Virtuoso's ``/sparql-auth``) or Basic auth, whichever the server asks for.

urllib answers a challenge by sending the request again, so a large body goes out twice, and
Virtuoso 7.2 closes the socket after its 401 without reading a large body (``BrokenPipeError`` at
~100k triples). The client therefore earns a challenge once with a small GET and from then on
answers it up front: Digest with the server's nonce and an increasing ``nc`` (Virtuoso accepts
this), Basic only after the server has asked for Basic.
"""

from __future__ import annotations

import http.client
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

from explorer.errors import QueryError, StoreError

USER_ENV = "POLICY_EXPLORER_SPARQL_USER"
PASSWORD_ENV = "POLICY_EXPLORER_SPARQL_PASSWORD"
TIMEOUT_SECONDS = 120.0
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: media type (no parameters), headers and body."""

    content_type: str
    headers: Message
    body: bytes


class _PreemptiveDigest(urllib.request.HTTPDigestAuthHandler):
    """Digest auth that, once challenged, answers the challenge on every later request up front."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self._challenge: dict[str, str] | None = None
        self._lock = threading.Lock()

    def http_error_auth_reqed(self, auth_header: str, host: str, req: Any, headers: Any) -> Any:
        for value in headers.get_all(auth_header) or []:
            if value[:7].lower() == "digest ":
                items = [item for item in urllib.request.parse_http_list(value[7:]) if item]
                self._challenge = urllib.request.parse_keqv_list(items)
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def get_authorization(self, req: Any, chal: Any) -> Any:
        with self._lock:  # the nonce count is shared by the threads using this store
            return super().get_authorization(req, chal)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self._challenge is not None and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self._challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request


class SparqlHttp:
    """Sends form POSTs (and probe GETs) to a fixed set of endpoint URLs."""

    def __init__(self, urls: list[str], env: dict[str, str] | None = None) -> None:
        env = dict(os.environ) if env is None else env
        self.user = env.get(USER_ENV) or None
        password = env.get(PASSWORD_ENV)
        if self.user and password is None:
            raise StoreError(f"{USER_ENV} is set but {PASSWORD_ENV} is not")
        handlers: list[urllib.request.BaseHandler] = []
        self._primed = self.user is None
        if self.user:
            passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
            for url in dict.fromkeys(urls):
                passwords.add_password(None, url, self.user, password or "")
            handlers = [_PreemptiveDigest(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self._prime_lock = threading.Lock()

    def post(self, url: str, fields: list[tuple[str, str]], accept: str, *, what: str) -> Answer:
        """POST ``fields`` as a form; ``what`` names the operation in error messages.

        :raises QueryError: the server refused the request (HTTP 400 or a 500 explaining why).
        :raises StoreError: the server could not be reached, refused the credentials, or broke off.
        """
        data = urllib.parse.urlencode(fields).encode("utf-8")
        for attempt in (1, 2):
            self._prime(url)
            try:
                return self._send(url, data, accept)
            except BrokenPipeError as exc:
                # The server closed the socket before reading the body (it answered 401 to a stale
                # nonce), so nothing was applied: earn a fresh challenge and send once more.
                if attempt == 2 or self.user is None:
                    raise StoreError(f"SPARQL endpoint {url} closed the connection ({what}): {exc}") from exc
                self._primed = False
            except urllib.error.HTTPError as exc:
                raise self._http_error(url, exc, what) from exc
            except (urllib.error.URLError, OSError) as exc:
                raise StoreError(f"cannot reach SPARQL endpoint {url} ({what}): {exc}") from exc
            except http.client.HTTPException as exc:  # e.g. more than 100 response headers
                raise StoreError(f"unreadable answer from SPARQL endpoint {url} ({what}): {exc}") from exc
        raise AssertionError("unreachable")

    def _send(self, url: str, data: bytes, accept: str) -> Answer:
        request = urllib.request.Request(url, data=data, headers={"Accept": accept, "Content-Type": FORM})
        try:
            with self._opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                return Answer(response.headers.get_content_type(), response.headers, response.read())
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, BrokenPipeError):
                raise exc.reason from exc
            raise

    def _prime(self, url: str) -> None:
        """With credentials, GET ``url`` once without a body so the server's challenge is known."""
        if self._primed:
            return
        with self._prime_lock:
            if self._primed:
                return
            probe = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"query": "ASK {}"})
            try:
                with self._opener.open(probe, timeout=TIMEOUT_SECONDS) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 401:
                    raise StoreError(
                        f"SPARQL endpoint {url} refused the credentials of {self.user!r} "
                        f"(HTTP 401; from ${USER_ENV} / ${PASSWORD_ENV})"
                    ) from exc
                # Any other answer (e.g. an update endpoint that takes no queries) is fine here.
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                raise StoreError(f"cannot reach SPARQL endpoint {url}: {exc}") from exc
            self._primed = True

    def _http_error(self, url: str, exc: urllib.error.HTTPError, what: str) -> Exception:
        detail = exc.read().decode("utf-8", errors="replace").strip()[:1000] if exc.fp else ""
        if exc.code in (401, 403):
            who = f"the credentials of {self.user!r}" if self.user else f"anonymous access (set ${USER_ENV})"
            return StoreError(f"SPARQL endpoint {url} refused {who}: HTTP {exc.code} ({what}) {detail}".rstrip())
        if exc.code == 400 or (exc.code == 500 and detail):
            return QueryError(f"SPARQL endpoint {url} refused the {what}: {detail or exc.reason}")
        return StoreError(f"SPARQL endpoint {url} answered HTTP {exc.code} to the {what}: {detail or exc.reason}")
