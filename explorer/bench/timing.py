"""Timing one operation: a cold run, warm runs, their percentiles (the benchmark's primitives)."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SLOW_SECONDS = 2.0  # a query slower than this once is timed once more, not ``runs`` times


@dataclass(frozen=True)
class Timing:
    """A repeated operation: the first (cold) run and percentiles of the warm runs, in ms."""

    name: str
    cold_ms: float
    p50_ms: float
    p95_ms: float
    rows: int = 0
    truncated: bool = False
    params: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    # the same text on a bare pyoxigraph handle of the same store files, each run right after the
    # explorer's (time_catalog): the explorer's overhead, with the machine's drift cancelled
    direct_p50_ms: float | None = None


def peak_rss_mib() -> float:
    """This process's peak resident set size (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: A call this quick (ms) is timed at least QUICK_RUNS times warm: the median of three runs of a
#: half-millisecond query is noise (explorer / direct for one such query: 0.65x-1.99x across runs).
QUICK_MS = 20.0
QUICK_RUNS = 30


def repeat(name: str, call: Callable[[], Any], runs: int, beside: Callable[[], float] | None = None
           ) -> tuple[Timing, Any, Timing | None]:
    """Time ``call`` once cold and ``runs`` more times warm (at least ``QUICK_RUNS`` when it takes
    under ``QUICK_MS``; none when ``runs`` is 0); returns the timing and the last answer. With
    ``beside`` (a call returning its own milliseconds, timed where it runs: the engine's process),
    that call is run too, each of its runs right after one of ``call``'s (its timing is the third
    item), so the two see the machine at the same moments."""
    start = time.perf_counter()
    answer = call()
    cold = (time.perf_counter() - start) * 1000
    other_cold = beside() if beside is not None else 0.0
    if 0 < runs < QUICK_RUNS and cold < QUICK_MS:
        runs = QUICK_RUNS
    warm, other = [], []
    for _ in range(runs):
        start = time.perf_counter()
        answer = call()
        warm.append((time.perf_counter() - start) * 1000)
        if beside is not None:
            other.append(beside())
    beside_timing = percentiles(name, other_cold, other) if beside is not None else None
    return percentiles(name, cold, warm), answer, beside_timing


def percentiles(name: str, cold_ms: float, warm_ms: list[float], **details: Any) -> Timing:
    """A :class:`Timing` from a cold run and the warm runs (none: the cold run stands for them)."""
    if not warm_ms:
        return Timing(name, cold_ms, cold_ms, cold_ms, **details)
    warm = sorted(warm_ms)
    p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
    return Timing(name, cold_ms, statistics.median(warm), p95, **details)


__all__ = ["QUICK_MS", "QUICK_RUNS", "SLOW_SECONDS", "Timing", "peak_rss_mib", "percentiles", "repeat"]
