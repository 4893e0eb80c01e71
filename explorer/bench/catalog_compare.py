"""Catalog queries on an existing Oxigraph store, through the explorer and on pyoxigraph directly,
against an older version of the same queries at the same moment (a benchmark, not a test).

    python -m explorer.bench.catalog_compare --store /tmp/store1000 [--runs 5] [--before DIR]
                                             [--only NAME ...] [--policy NUMBER]

Each query is timed warm (after one cold run) ``--runs`` times through
:func:`explorer.query.runner.run_query` and on a read-only pyoxigraph handle of the same store
directory (its default graph, the union; parameters as a VALUES block, as the ``bench run`` anchor
does). With ``--before DIR`` (e.g. ``git show``-ed copies of ``queries/*.rq``), the same-named older
query is timed too, the runs alternating old and new so both see the same load, and the two answers'
rows are compared (as a multiset of N-Triples-like strings): ``same`` or ``DIFFERENT``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from explorer.bench.catalog_timing import catalog_params, sent_text


@dataclass(frozen=True)
class Row:
    name: str
    rows: int
    explorer_ms: float
    direct_ms: float
    before_direct_ms: float | None = None
    same: bool | None = None


def _direct(store: Any, query: Any, params: dict[str, str]) -> Callable[[], list[str]]:
    """A call running ``query`` on the pyoxigraph ``store`` and returning its rows as strings."""
    text = sent_text(query, params)

    def run() -> list[str]:
        solutions = store.query(text)
        names = [v.value for v in solutions.variables]
        return ["\t".join(str(s[n]) if s[n] is not None else "" for n in names) for s in solutions]

    return run


def _median_ms(calls: list[Callable[[], Any]], runs: int) -> list[float]:
    """Each call once cold, then ``runs`` rounds of all calls in turn; the median warm ms of each."""
    for call in calls:
        call()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            times[i].append((time.perf_counter() - start) * 1000)
    return [statistics.median(t) for t in times]


def compare(path: str, runs: int, before: str | None, only: list[str], policy: str) -> list[Row]:
    import pyoxigraph as ox

    from explorer.query.catalog import load_catalog
    from explorer.query.limits import QueryLimits
    from explorer.query.runner import run_query
    from explorer.store import open_store

    store = open_store(f"oxigraph:{path}")
    raw = ox.Store.read_only(path)
    old = load_catalog(before) if before else {}
    limits = QueryLimits(timeout_s=120, max_rows=1_000_000)
    out = []
    for name, query in sorted(load_catalog().items()):
        params = catalog_params(query, policy)
        if params is None or (only and name not in only):
            continue
        direct = _direct(raw, query, params)
        calls: list[Callable[[], Any]] = [partial(run_query, store, query, params, limits=limits), direct]
        if name in old:
            calls.append(_direct(raw, old[name], params))
        times = _median_ms(calls, runs)
        rows = direct()
        same = Counter(rows) == Counter(calls[2]()) if name in old else None
        out.append(Row(name, len(rows), times[0], times[1], times[2] if name in old else None, same))
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="an on-disk Oxigraph store directory")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a folder of older *.rq files to compare with")
    parser.add_argument("--only", nargs="*", default=[], help="query names (default: all)")
    parser.add_argument("--policy", default="338", help="the value of a required 'policy' parameter")
    args = parser.parse_args()
    print(f"{'query':<30}{'rows':>7}{'explorer ms':>13}{'direct ms':>11}{'before ms':>11}{'new/old':>9}  answer")
    for r in compare(args.store.removeprefix("oxigraph:"), args.runs, args.before, args.only, args.policy):
        ratio = f"{r.direct_ms / r.before_direct_ms:.2f}x" if r.before_direct_ms else "-"
        before = f"{r.before_direct_ms:.0f}" if r.before_direct_ms is not None else "-"
        answer = {None: "", True: "same", False: "DIFFERENT"}[r.same]
        print(f"{r.name:<30}{r.rows:>7}{r.explorer_ms:>13.0f}{r.direct_ms:>11.0f}{before:>11}{ratio:>9}  {answer}")


if __name__ == "__main__":
    main()
