"""Turn a store URL into a store: ``memory:`` (rdflib, in memory), ``oxigraph:PATH`` or a bare path
(Oxigraph on disk), ``oxigraph:`` (Oxigraph in memory), ``sparql:URL`` (a SPARQL 1.1 server)."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.errors import StoreError
from explorer.store.base import PolicyStore
from explorer.store.oxigraph_store import OxigraphStore
from explorer.store.rdflib_store import RdflibStore
from explorer.store.sparql_store import SparqlStore

SCHEMES = ("memory", "oxigraph", "sparql")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")  # two or more letters: "C:" stays a path


def _with_parents(path: Path) -> Path:
    """``path`` with its parent folders made (Oxigraph makes only the last one: on a fresh machine
    ``~/.local/share`` may not exist yet)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot open store {path}: cannot create its folder ({exc.strerror or exc})") from exc
    return path


def open_store(url: str) -> PolicyStore:
    """Open the store named by ``url``; raises StoreError for an unknown scheme or unusable store."""
    match = _SCHEME.match(url)
    if match is None:
        if not url.strip():
            raise StoreError("empty store URL; use memory:, oxigraph:, oxigraph:PATH, a path, or sparql:URL")
        return OxigraphStore(url, _with_parents(Path(url).expanduser()))
    scheme, rest = match.group(1).lower(), url[match.end() :]
    if scheme == "memory":
        if rest:
            raise StoreError(f"store URL {url!r}: memory: takes nothing after the colon")
        return RdflibStore(url)
    if scheme == "oxigraph":
        return OxigraphStore(url, _with_parents(Path(rest).expanduser()) if rest else None)
    if scheme == "sparql":
        if not re.match(r"^https?://", rest):
            raise StoreError(f"store URL {url!r}: sparql: needs an http(s) endpoint URL")
        return SparqlStore(url, rest)
    raise StoreError(f"store URL {url!r}: unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)} or a path")
