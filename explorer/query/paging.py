"""Pages of SELECT rows and the engine-terms fast path of the runner.

A page (``offset``, ``limit``) keeps only its own rows and counts the others without reading their
values, so ``total`` is exact and a page costs what its rows cost to convert and print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
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

    def size(self, max_rows: int) -> int:
        """How many rows the page may hold under the row limit."""
        return max_rows if self.limit is None else min(self.limit, max_rows)

    def take(self, rows: Iterator[Any], max_rows: int, convert: Callable[[Any], T]) -> tuple[tuple[T, ...], int, bool]:
        """(the page's rows, the total count, whether the page was cut at ``max_rows``)."""
        size = self.size(max_rows)
        out: list[T] = []
        total = 0
        for row in rows:
            if total >= self.offset and len(out) < size:
                out.append(convert(row))
            total += 1
        return tuple(out), total, self._cut(total, len(out))

    def take_window(self, rows: Iterator[Any], max_rows: int, convert: Callable[[Any], T], skip: int,
                    total: int) -> tuple[tuple[T, ...], bool]:
        """The page from the rows of the values it spans (:mod:`explorer.query.windows`): the
        first ``skip`` rows come before ``offset``; ``total`` is the whole listing's count."""
        size = self.size(max_rows)
        out = [convert(row) for row in islice(rows, skip, skip + size)]
        return tuple(out), self._cut(total, len(out))

    def _cut(self, total: int, shown: int) -> bool:
        """Whether the page holds fewer rows than it should (cut at the row limit)."""
        window = max(0, total - self.offset)
        if self.limit is not None:
            window = min(window, self.limit)
        return window > shown


def collect_plain(columns: Iterable[str], solutions: Iterator[tuple[OxCell, ...]], prefixes: Mapping[str, str],
                  max_rows: int, page: Page, window: tuple[int, int] | None = None,
                  total_exact: bool = True) -> dict[str, Any]:
    """The runner's payload from pyoxigraph rows: at most ``max_rows`` rows (a page when asked), the
    cells kept as engine terms (:class:`PlainRows`). ``window`` (rows to skip, the listing's total):
    ``solutions`` are the rows of the policies the page spans (:mod:`explorer.query.windows`);
    with ``total_exact`` False that total is the rows counted so far (``total_at_least``)."""
    base: dict[str, Any] = {"prefixes": dict(prefixes), "kind": "select", "columns": tuple(columns)}
    try:
        if window is not None:
            skip, total = window
            rows, cut = page.take_window(solutions, max_rows, lambda row: row, skip, total)
            counted = {"total": total} if total_exact else {"total": None, "total_at_least": total}
            return {**base, "rows": PlainRows(rows), "truncated": cut, **counted, "offset": page.offset}
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
        close_rows(solutions)


def close_rows(solutions: Iterator[Any]) -> None:
    """Free the engine's unread rows on this thread, now (see ``runner._release``)."""
    close = getattr(solutions, "close", None)
    if close is not None:
        close()
