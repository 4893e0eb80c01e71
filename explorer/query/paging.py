"""Pages of SELECT rows and the engine-terms fast path of the runner.

A page (``offset``, ``limit``) keeps only its own rows and counts the others without reading their
values, so ``total`` is exact and a page costs what its rows cost to convert and print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from explorer.query.plain import OxCell, PlainRows

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """Rows ``offset`` .. ``offset + limit`` of a result (``limit=None``: to the end)."""

    offset: int = 0
    limit: int | None = None

    @property
    def asked(self) -> bool:
        return self.offset > 0 or self.limit is not None

    def take(self, rows: Iterator[Any], max_rows: int, convert: Callable[[Any], T]) -> tuple[tuple[T, ...], int, bool]:
        """(the page's rows, the total count, whether the page was cut at ``max_rows``)."""
        size = max_rows if self.limit is None else min(self.limit, max_rows)
        out: list[T] = []
        total = 0
        for row in rows:
            if total >= self.offset and len(out) < size:
                out.append(convert(row))
            total += 1
        window = max(0, total - self.offset)
        if self.limit is not None:
            window = min(window, self.limit)
        return tuple(out), total, window > len(out)


def collect_plain(columns: Iterable[str], solutions: Iterator[tuple[OxCell, ...]], prefixes: Mapping[str, str],
                  max_rows: int, page: Page) -> dict[str, Any]:
    """The runner's payload from pyoxigraph rows: at most ``max_rows`` rows (a page when asked), the
    cells kept as engine terms (:class:`PlainRows`)."""
    base: dict[str, Any] = {"prefixes": dict(prefixes), "kind": "select", "columns": tuple(columns)}
    try:
        if page.asked:
            rows, total, cut = page.take(solutions, max_rows, lambda row: row)
            return {**base, "rows": PlainRows(rows), "truncated": cut, "total": total, "offset": page.offset}
        raw: list[tuple[OxCell, ...]] = []
        for row in solutions:
            if len(raw) == max_rows:
                return {**base, "rows": PlainRows(raw), "truncated": True}
            raw.append(row)
        return {**base, "rows": PlainRows(raw), "truncated": False, "total": len(raw)}
    finally:
        close = getattr(solutions, "close", None)
        if close is not None:
            close()  # free the engine's unread rows on this thread (see runner._release)
