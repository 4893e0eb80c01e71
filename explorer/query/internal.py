"""The library's own SPARQL (``queries/internal/*.rq``), kept out of the analysts' catalog."""

from __future__ import annotations

from functools import cache

from explorer.errors import QueryError
from explorer.resources import queries_dir


@cache
def internal_query(name: str) -> str:
    """The text of ``queries/internal/{name}.rq``."""
    path = queries_dir() / "internal" / f"{name}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"internal query missing: {path}") from exc
