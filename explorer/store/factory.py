"""Turn a store URL (``memory:``, ``oxigraph:PATH``, a bare path, ``sparql:URL``) into a store."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.errors import StoreError
from explorer.store.base import PolicyStore
from explorer.store.oxigraph_store import OxigraphStore
from explorer.store.sparql_store import SparqlStore

SCHEMES = ("memory", "oxigraph", "sparql")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")  # two or more letters: "C:" stays a path


def open_store(url: str) -> PolicyStore:
    """Open the store named by ``url``; raises StoreError for an unknown scheme or unusable store."""
    match = _SCHEME.match(url)
    if match is None:
        if not url.strip():
            raise StoreError("empty store URL; use memory:, oxigraph:PATH, a path, or sparql:URL")
        return OxigraphStore(url, Path(url).expanduser())
    scheme, rest = match.group(1).lower(), url[match.end() :]
    if scheme == "memory":
        if rest:
            raise StoreError(f"store URL {url!r}: memory: takes nothing after the colon")
        return OxigraphStore(url)
    if scheme == "oxigraph":
        if not rest:
            raise StoreError(f"store URL {url!r}: oxigraph: needs a directory, e.g. oxigraph:/tmp/store")
        return OxigraphStore(url, Path(rest).expanduser())
    if scheme == "sparql":
        if not re.match(r"^https?://", rest):
            raise StoreError(f"store URL {url!r}: sparql: needs an http(s) endpoint URL")
        return SparqlStore(url, rest)
    raise StoreError(f"store URL {url!r}: unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)} or a path")
