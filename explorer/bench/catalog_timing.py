"""Timing the catalog queries on a measured store: each query whole through the explorer, with the
engine timed in turn on the same files (``time_catalog``), and a page at a time as the app reads
them (``time_pages``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from explorer.bench.timing import SLOW_SECONDS, Timing, percentiles, repeat
from explorer.errors import ExplorerError
from explorer.query.limits import DEFAULT_TIMEOUT_S

# Values for catalog parameters that must (or usefully can) be given; others keep their defaults.
# pmid: one the seed cites; a generated corpus may not cite it, so the query then times its lookup alone
PARAM_VALUES: Mapping[str, str] = {"disease": "multiple myeloma", "product": "Medicare PPO Blue",
                                   "setting": "outpatient", "pmid": "17361226"}
NO_VALUE = "a required parameter has no benchmark value"  # a query not run (not slow, not failed)
#: Warm runs at least, for a query under a second timed beside the engine: two pairs (``--runs 3``)
#: gave `policies` 1.63x in one run where nine pairs give 1.04-1.06x on the same store.
PAIR_RUNS = 7
PAIR_UNDER_MS = 1000.0
PAGE_ROWS = 100  # a page as the app's SPARQL workbench reads one (explorer/app/views/sparql.py)


def catalog_params(query: Any, policy_number: str) -> dict[str, str] | None:
    """Values for ``query``'s required parameters (None: one has no known value, so skip it)."""
    values = dict(PARAM_VALUES, policy=policy_number)
    params: dict[str, str] = {}
    for param in query.parameters:
        if param.required:
            if param.name not in values:
                return None
            params[param.name] = values[param.name]
    return params


def time_catalog(store: Any, runs: int, policy_number: str, direct: Any = None) -> tuple[Timing, ...]:
    """Every catalog query run through :func:`explorer.query.runner.run_query`; with ``direct`` (an
    engine on the same files with ``read_ms(text, max_rows)``: :class:`~explorer.bench.engine_process.EngineProcess`),
    the text the explorer sends run on it too, each run right after the explorer's, reading as many
    rows as the explorer's answer holds (``direct_p50_ms``), at least :data:`PAIR_RUNS` times for a
    query under :data:`PAIR_UNDER_MS`."""
    from explorer.query.catalog import load_catalog
    from explorer.query.limits import QueryLimits
    from explorer.query.runner import run_query

    max_rows = QueryLimits().max_rows
    out = []
    for name, query in sorted(load_catalog().items()):
        params = catalog_params(query, policy_number)
        if params is None:
            out.append(Timing(name, 0, 0, 0, error=NO_VALUE))
            continue
        try:
            # a query over the time limit goes on in the engine: time it once, never repeat it
            start = time.perf_counter()
            run_query(store, query, params)
            cold_ms = (time.perf_counter() - start) * 1000
            slow = cold_ms > SLOW_SECONDS * 1000
            beside, bare_once = _engine_beside(direct, query, params, max_rows + 1)
            warm = 0 if slow else runs - 1
            if beside is not None and cold_ms < PAIR_UNDER_MS and (bare_once or 0) < PAIR_UNDER_MS:
                warm = max(warm, PAIR_RUNS)
            timing, result, bare = repeat(name, lambda q=query, p=params: run_query(store, q, p), warm, beside)
        except ExplorerError as exc:
            out.append(Timing(name, 0, 0, 0, params=tuple(params.items()), error=str(exc)))
            continue
        rows = len(result.rows) if result.kind == "select" else len(result.graph or ())
        engine_ms = bare.p50_ms if bare is not None else bare_once
        out.append(Timing(name, cold_ms, timing.p50_ms, timing.p95_ms, rows, result.truncated,
                          tuple(params.items()), direct_p50_ms=engine_ms))
    return tuple(out)


def _engine_beside(engine: Any, query: Any, params: dict[str, str], max_rows: int
                   ) -> tuple[Callable[[], float] | None, float | None]:
    """The engine's call to time beside the explorer's, after one untimed-for-pairs run: (the call,
    None), or (None, that run's ms) when the engine alone is slow (evaluating a whole listing the
    explorer reads only as far as the row limit: not repeated), or (None, None) with no engine or
    when it failed (an error of the bare handle is not the explorer's)."""
    if engine is None:
        return None, None
    call = direct_call(engine, query, params, max_rows)
    try:
        once = call()
    except Exception:  # noqa: BLE001 - any failure of the bare handle: no engine figure for this query
        return None, None
    return (None, once) if once > SLOW_SECONDS * 1000 else (call, None)


def sent_text(query: Any, params: dict[str, str]) -> str:
    """``query``'s text as the explorer sends it to Oxigraph: ``params`` bound in the text, its
    plan applied (``OxigraphStore.query_plain``); what every "pyoxigraph directly" figure runs."""
    from explorer.query.bindings import bind_parameters
    from explorer.sparql.guard import check_read_only
    from explorer.sparql.values import inject_bindings
    from explorer.store.oxigraph_plans import planned_text

    bindings = bind_parameters(query, params, check_read_only(query.text).prefixes)
    return planned_text(inject_bindings(query.text, bindings or None), query.plan)


def direct_call(engine: Any, query: Any, params: dict[str, str], max_rows: int) -> Callable[[], float]:
    """A call running ``query`` on ``engine`` as the explorer sends it (its parameters bound in
    the text, its plan applied), reading each row's values up to ``max_rows`` rows; it returns the
    milliseconds the engine took, timed where it ran (``engine.read_ms``)."""
    text = sent_text(query, params)
    return partial(engine.read_ms, text, max_rows)


def time_pages(store: Any, runs: int, policy_number: str) -> tuple[Timing, ...]:
    """Every catalog query read ``PAGE_ROWS`` rows at a time, as the app does: cold, the first page
    (a ``# pages:`` listing counts the rows of its first policies, explorer/query/windows.py);
    warm, the next ``runs`` pages in turn (each counting on as far as it needs), back to the first
    after the last known. Rows: the listing's total, counted untimed at the end."""
    from explorer.query.catalog import load_catalog
    from explorer.query.runner import run_query

    out: list[Timing] = []
    for name, query in sorted(load_catalog().items()):
        params = catalog_params(query, policy_number)
        if params is None:
            out.append(Timing(name, 0, 0, 0, error=NO_VALUE))
            continue
        warm: list[float] = []
        try:
            start = time.perf_counter()
            first = run_query(store, query, params, offset=0, limit=PAGE_ROWS)
            cold_ms = (time.perf_counter() - start) * 1000
            known = first.rows_known
            for k in range(1, runs + 1):
                pages = max(1, -(-known // PAGE_ROWS))
                start = time.perf_counter()
                page = run_query(store, query, params, offset=(k % pages) * PAGE_ROWS, limit=PAGE_ROWS)
                warm.append((time.perf_counter() - start) * 1000)
                known = max(known, page.rows_known)
                if warm[-1] > SLOW_SECONDS * 1000:
                    break  # a page read whole and slow: the engine cannot be stopped, do not repeat it
            total, exact = first.total, True
            if total is None:
                total, exact = _counted_total(store, query, params, known)
        except ExplorerError as exc:
            out.append(Timing(name, 0, 0, 0, params=tuple(params.items()), error=str(exc)))
            continue
        out.append(percentiles(name, cold_ms, warm, rows=total, truncated=not exact, params=tuple(params.items())))
    return tuple(out)


def _counted_total(store: Any, query: Any, params: dict[str, Any], known: int,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> tuple[int, bool]:
    """A paged listing's total, every policy counted by asking past its last row (not timed), and
    True; when that hits the time limit, the rows known and False (shown as ``N+``).

    The count runs in a forked child (``isolation="process"``, where the OS allows it): stopped
    at the time limit in a thread, Oxigraph's evaluation of a sorted listing went on to its end,
    holding a core and its rows while the next figures were taken (at 10,000 policies four such
    counts ran on beside the next listings' pages, and the measured process's peak memory rose
    from 354 to 561 MiB); the app never counts a whole listing (it shows "at least N rows")."""
    import os

    from explorer.query.limits import QueryLimits
    from explorer.query.runner import run_query

    limits = QueryLimits(timeout_s=timeout_s, isolation="process" if hasattr(os, "fork") else "thread")
    try:
        return run_query(store, query, params, limits=limits, offset=10**9, limit=PAGE_ROWS).rows_known, True
    except ExplorerError:
        return known, False


__all__ = ["NO_VALUE", "PAGE_ROWS", "catalog_params", "direct_call", "sent_text", "time_catalog", "time_pages"]
