"""The library's own SPARQL (``queries/internal/*.rq``), kept out of the analysts' catalog.

A base module (it depends on resources and errors only), so the store, the determination and the
faces can all read their queries without the store reaching up into ``explorer.query``.
"""

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


@cache
def internal_plan(name: str) -> str | None:
    """The plan its header names (``# plan: optionals-per-row``: how Oxigraph should join it,
    explorer/store/oxigraph_plans.py), or None."""
    for line in internal_query(name).splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# plan:"):   # (not an indented continuation line that says "plan:")
            return line.removeprefix("# plan:").strip() or None
    return None
