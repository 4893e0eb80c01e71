"""Who is asking: this server's own origin as the client addressed it, and the headers a listed
cross-origin page may send (CORS preflight)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: A Host header value: a DNS name or IPv4 address, or a bracketed IPv6 address, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


def own_origin(environ: Mapping[str, Any]) -> str:
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


def allowed_headers(environ: Mapping[str, Any]) -> str:
    """For an allowed origin: the headers its preflight asks for (well-formed names only, at most
    32), echoed after ``Content-Type, Accept``; YASGUI and SPARQLWrapper-in-a-browser ask for their
    own (``X-Requested-With``, ``Authorization``...). Only listed origins get this at all."""
    asked = str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", ""))
    names = [n.strip() for n in asked.split(",")[:32] if _TOKEN.fullmatch(n.strip())]
    seen = {h.lower() for h in _BASE_ALLOWED_HEADERS}
    extra = [n for n in dict.fromkeys(names) if n.lower() not in seen]
    return ", ".join([*_BASE_ALLOWED_HEADERS, *extra])
