"""Issue 15's "done when" table: every figure of the issue, measured in one ``bench run``, beside
its target and (where there is one) its anchor, with a verdict.

:func:`check_targets` reads a :class:`~explorer.bench.run.BenchReport` (the first Oxigraph store
measured, else the first store) and returns one :class:`TargetCheck` per figure;
:func:`format_targets` prints them. A figure the run did not measure (no anchors, no ``--owlrl``,
no on-disk store) is "not measured", never "met".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from explorer.bench.catalog_timing import NO_VALUE, PAGE_ROWS

if TYPE_CHECKING:
    from explorer.bench.measure import StoreBench
    from explorer.bench.run import BenchReport
    from explorer.bench.timing import Timing

MET, MISSED, NOT_MEASURED = "met", "missed", "not measured"
MIB = 2**20


@dataclass(frozen=True)
class TargetCheck:
    """One figure: ``measured`` (in ``unit``), the ``anchor`` it is compared to (same unit) and
    their ratio, the target (``limit``: the most the value, or its ratio to the anchor, may be)."""

    figure: str
    measured: float | None
    unit: str
    target: str
    limit: float
    verdict: str
    anchor: float | None = None
    ratio: float | None = None
    note: str = ""


def _check(figure: str, measured: float | None, unit: str, limit: float, *, anchor: float | None = None,
           on_ratio: bool = False, note: str = "", target: str = "") -> TargetCheck:
    """``measured`` (or its ratio to ``anchor``, ``on_ratio``) at most ``limit``."""
    ratio = measured / anchor if measured is not None and anchor else None
    judged = ratio if on_ratio else measured
    verdict = NOT_MEASURED if judged is None else MET if judged <= limit else MISSED
    shown = target or f"<= {limit:g}{'x' if on_ratio else ' ' + unit}"
    return TargetCheck(figure, measured, unit, shown, limit, verdict, anchor, ratio, note)


def _measured_store(report: BenchReport) -> StoreBench | None:
    return next((s for s in report.stores if s.store.startswith("oxigraph:")), None) or \
        (report.stores[0] if report.stores else None)


def _query_checks(store: StoreBench | None, report: BenchReport) -> list[TargetCheck]:
    out = []
    queries = [] if store is None else [q for q in store.queries if q.error != NO_VALUE]
    slowest = max(queries, key=lambda q: float("inf") if q.error else q.p50_ms, default=None)
    if slowest is None:
        out.append(_check("catalog query p50 warm, slowest", None, "ms", 300))
    elif slowest.error:
        out.append(TargetCheck("catalog query p50 warm, slowest", None, "ms", "<= 300 ms", 300, MISSED,
                               note=f"{slowest.name}: {slowest.error}"))
    else:
        out.append(_check("catalog query p50 warm, slowest", slowest.p50_ms, "ms", 300,
                          note=f"{slowest.name}; every row"))
    pages = [] if store is None else [q for q in store.pages if q.error != NO_VALUE]
    slowest_page = max(pages, key=lambda q: float("inf") if q.error else q.p50_ms, default=None)
    figure = f"catalog page of {PAGE_ROWS} rows p50 warm, slowest"
    if slowest_page is None:
        out.append(_check(figure, None, "ms", 300))
    elif slowest_page.error:
        out.append(TargetCheck(figure, None, "ms", "<= 300 ms", 300, MISSED,
                               note=f"{slowest_page.name}: {slowest_page.error}"))
    else:
        out.append(_check(figure, slowest_page.p50_ms, "ms", 300,
                          note=f"{slowest_page.name}; as the app reads: the pages after the first"))
    direct = {t.name: t for t in report.anchors.pyoxigraph_queries} if report.anchors else {}
    out.append(_overhead_check(queries, direct))
    for name in ("codes", "evidence-for-disease"):
        timing = direct.get(name)
        out.append(_check(f"`{name}` on pyoxigraph directly", None if timing is None else timing.p50_ms, "ms", 100))
    return out


def _overhead_check(queries: list[Timing], anchors: dict[str, Timing]) -> TargetCheck:
    """The worst explorer / engine ratio: against the same store's files on a bare pyoxigraph
    handle, timed in turn with the explorer's runs (``direct_p50_ms``), else against the anchor
    store's own timings, taken minutes apart (a noisy machine moves those more than the ratio)."""
    figure = "explorer / pyoxigraph directly, worst query"
    interleaved = any(q.direct_p50_ms for q in queries)
    pairs = [(q, q.direct_p50_ms if interleaved else getattr(anchors.get(q.name), "p50_ms", None))
             for q in queries if q.direct_p50_ms or (not interleaved and q.name in anchors)]
    failed = [q.name for q in queries if q.error] if interleaved else \
        [q.name for q, d in pairs if q.error or not d]
    measured = [(q, d) for q, d in pairs if not q.error and d]
    worst = max(measured, key=lambda qd: qd[0].p50_ms / qd[1], default=None)
    if worst is None:
        return _check(figure, None, "ms", 1.5, on_ratio=True)
    q, d = worst
    how = "same store, timed in turn" if interleaved else "anchor store"
    check = _check(figure, q.p50_ms, "ms", 1.5, anchor=d, on_ratio=True, note=f"{q.name}; {how}")
    if failed:  # a query that did not answer through the explorer cannot be within the ratio
        check = replace(check, verdict=MISSED, note=f"{q.name}; no answer: {', '.join(failed)}")
    return check


def check_targets(report: BenchReport) -> tuple[TargetCheck, ...]:
    """Every figure of issue 15's table for ``report``, with its verdict."""
    store, a = _measured_store(report), report.anchors
    out = [
        _check("ingest, text -> store", None if store is None else store.ingest_s, "s", 3,
               anchor=None if a is None else a.pyoxigraph_load_s, on_ratio=True,
               target="<= 3x the bulk load", note="anchor: pyoxigraph bulk load of the same quads"),
        _check("store size on disk", None if store is None or not store.disk_bytes else store.disk_bytes / MIB,
               "MiB", 1.5, anchor=None if a is None or not a.pyoxigraph_disk_bytes else a.pyoxigraph_disk_bytes / MIB,
               on_ratio=True, target="<= 1.5x the bulk-loaded store", note="anchor: that store on disk, optimized"),
    ]
    rss = None if store is None else (store.ingest_peak_rss_mib or store.peak_rss_mib)
    workers = "" if store is None or not store.workers or not store.worker_peak_rss_mib else \
        f"; {store.workers} workers, {store.worker_peak_rss_mib:.0f} MiB each at most"
    out.append(_check("peak RSS while ingesting", rss, "MiB", 600, anchor=None if a is None else a.pyoxigraph_rss_mib,
                      note=f"the ingesting process{workers}; anchor: pyoxigraph's bulk load"))
    out += _query_checks(store, report)
    cov = None if store is None else store.coverage
    ok = cov is not None and not cov.error
    out.append(_check("coverage check p50 warm", cov.p50_ms if ok and cov else None, "ms", 5))
    out.append(_check("coverage check cold", cov.cold_ms if ok and cov else None, "ms", 300))
    fresh = report.fresh_coverage
    if fresh is not None and fresh.error:
        out.append(TargetCheck("`policy-explorer coverage`, fresh process", None, "s", "<= 1 s", 1, MISSED,
                               note=fresh.error))
    else:
        out.append(_check("`policy-explorer coverage`, fresh process", None if fresh is None else fresh.median_s,
                          "s", 1, note="" if fresh is None else
                          f"median of {fresh.runs}, first {fresh.first_s:.2f} s"))
    r = report.reasoning
    out.append(_check("reasoning vs owlrl's naive closure", None if r is None else r.infer_per_policy_s * 1000,
                      "ms/policy", 1 / 50, anchor=None if r is None else r.owlrl_full_per_policy_s * 1000,
                      on_ratio=True, target="<= 0.02x (>= 50x faster)",
                      note="" if r is None else f"{r.speedup:.0f}x faster, {r.policies} seed copies, per policy"))
    return tuple(out)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.2f} {unit}"


def format_targets(checks: Sequence[TargetCheck], policies: int, corpus: str = "generated") -> list[str]:
    """The table's lines: figure, measured, anchor, ratio, target, verdict (and a note)."""
    what = f"{policies} policies" if corpus == "generated" else f"{policies} real documents, replicated"
    lines = [f"targets (issue 15, {what})",
             f"  {'figure':<44}{'measured':>17}{'anchor':>17}{'ratio':>9}  {'target':<31}verdict"]
    for c in checks:
        ratio = "-" if c.ratio is None else f"{c.ratio:.2f}x"
        lines.append(f"  {c.figure:<44}{_number(c.measured, c.unit):>17}{_number(c.anchor, c.unit):>17}"
                     f"{ratio:>9}  {c.target:<31}{c.verdict}" + (f"  ({c.note})" if c.note else ""))
    met = sum(c.verdict == MET for c in checks)
    lines.append(f"  {met} of {len(checks)} met")
    return lines


def targets_json(checks: Sequence[TargetCheck]) -> list[dict[str, Any]]:
    """The checks as JSON objects (``--json``)."""
    from dataclasses import asdict

    return [asdict(c) for c in checks]
