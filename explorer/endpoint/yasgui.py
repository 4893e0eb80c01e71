"""The offline YASGUI page of the endpoint (``/yasgui/``): the vendored ``@zazuko/yasgui`` bundle
(``static/yasgui/VENDORED.md``) and a small start script, served from this package; nothing is
fetched from elsewhere. Its own ``Content-Security-Policy`` lets scripts, styles and requests come
from the endpoint's origin only (YASGUI sets inline styles; no inline script runs: the start script
is a file), so a query result or a document text shown in YASGUI cannot load or send anything."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).with_name("static") / "yasgui"
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "index.html": ("index.html", "text/html; charset=utf-8"),
    "init.js": ("init.js", "text/javascript; charset=utf-8"),
    "yasgui.min.js": ("yasgui.min.js", "text/javascript; charset=utf-8"),
    "yasgui.min.css": ("yasgui.min.css", "text/css; charset=utf-8"),
}


def yasgui_file(path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """``(status, headers, body)`` for ``/yasgui`` or ``/yasgui/NAME`` (a fixed list of files)."""
    from explorer.endpoint.protocol import ProtocolError

    name = path.removeprefix("/yasgui").removeprefix("/")
    entry = _FILES.get(name)
    if entry is None:
        raise ProtocolError(404, f"no such file {path!r}; YASGUI is at /yasgui/")
    file_name, media = entry
    headers = [("Content-Type", media), ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
               ("Cache-Control", "public, max-age=3600")]
    return 200, headers, (FOLDER / file_name).read_bytes()
