"""Measure one store: ingest a corpus folder phase by phase, then time catalog queries and validation.

:func:`measure_store` is meant to run in a fresh process (see :mod:`explorer.bench.run`) so its
peak RSS belongs to that store alone.  Ingest makes the same calls as
:func:`explorer.pipeline.ingest_facts` (parse, model, reason, replace the two graphs), timed apart.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from explorer.errors import ExplorerError
from explorer.query.windows import forget_listings

# Values for catalog parameters that must (or usefully can) be given; others keep their defaults.
# pmid: one the seed cites; a generated corpus may not cite it, so the query then times its lookup alone
PARAM_VALUES: Mapping[str, str] = {"disease": "multiple myeloma", "product": "Medicare PPO Blue",
                                   "setting": "outpatient", "pmid": "17361226"}
NO_VALUE = "a required parameter has no benchmark value"  # a query not run (not slow, not failed)
SLOW_SECONDS = 2.0  # a query slower than this once is timed once more, not ``runs`` times
#: Warm runs at least, for a query under a second timed beside the engine: two pairs (``--runs 3``)
#: gave `policies` 1.63x in one run where nine pairs give 1.04-1.06x on the same store.
PAIR_RUNS = 7
PAIR_UNDER_MS = 1000.0
PAGE_ROWS = 100  # a page as the app's SPARQL workbench reads one (explorer/app/views/sparql.py)
COVERAGE_QUESTION: Mapping[str, str] = {
    "code": "38242", "diagnosis": "C92.10", "product": "Medicare PPO Blue", "setting": "outpatient",
}

# Warm runs ask questions not asked before in the process (another diagnosis or setting for the same
# code), so the answers the coverage index keeps for a repeated question are not what is timed.
WARM_DIAGNOSES = ("C92.00", "C91.00", "C90.00", "C83.30", "C81.90", "D46.9", "C92.20", "C93.10", "C85.90", "C92.11")
WARM_SETTINGS = ("outpatient", "inpatient", "office")


def warm_coverage_questions(count: int) -> list[dict[str, str]]:
    """``count`` coverage questions, each unlike ``COVERAGE_QUESTION`` and each other (up to 30)."""
    pairs = [(d, s) for s in WARM_SETTINGS for d in WARM_DIAGNOSES][:max(count, 0)]
    return [dict(COVERAGE_QUESTION, diagnosis=d, setting=s) for d, s in pairs]


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


@dataclass(frozen=True)
class StoreBench:
    """Figures for one store over one corpus."""

    store: str
    policies: int
    failed: int
    vocabulary_s: float
    parse_s: float
    model_s: float
    reason_s: float
    write_s: float
    asserted_triples: int
    inferred_triples: int
    store_triples: int
    disk_bytes: int | None
    queries: tuple[Timing, ...]
    coverage: Timing | None
    validate_s: float
    validated: int
    nonconforming: int
    peak_rss_mib: float
    # the bulk path (explorer.pipeline_bulk): phases above are summed over the worker processes, so
    # the ingest time is the wall time; the workers' own peak RSS is apart from this process's
    wall_s: float | None = None
    optimize_s: float = 0.0
    workers: int = 0
    worker_peak_rss_mib: float | None = None
    # this process's peak RSS when the ingest ended (before queries and validation); None: not measured
    ingest_peak_rss_mib: float | None = None
    # every catalog query read a page at a time, as the app reads it (time_pages)
    pages: tuple[Timing, ...] = ()

    @property
    def ingest_s(self) -> float:
        if self.wall_s is not None:
            return self.wall_s
        return self.parse_s + self.model_s + self.reason_s + self.write_s


def peak_rss_mib() -> float:
    """This process's peak resident set size (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: A call this quick (ms) is timed at least QUICK_RUNS times warm: the median of three runs of a
#: half-millisecond query is noise (explorer / direct for one such query: 0.65x-1.99x across runs).
QUICK_MS = 20.0
QUICK_RUNS = 30


def repeat(name: str, call: Callable[[], Any], runs: int, beside: Callable[[], Any] | None = None
           ) -> tuple[Timing, Any, Timing | None]:
    """Time ``call`` once cold and ``runs`` more times warm (at least ``QUICK_RUNS`` when it takes
    under ``QUICK_MS``; none when ``runs`` is 0); returns the timing and the last answer. With
    ``beside``, that call is timed too, each of its runs right after one of ``call``'s (its
    timing is the third item), so the two see the machine at the same moments."""
    start = time.perf_counter()
    answer = call()
    cold = (time.perf_counter() - start) * 1000
    other_cold = _timed(beside) if beside is not None else 0.0
    if 0 < runs < QUICK_RUNS and cold < QUICK_MS:
        runs = QUICK_RUNS
    warm, other = [], []
    for _ in range(runs):
        start = time.perf_counter()
        answer = call()
        warm.append((time.perf_counter() - start) * 1000)
        if beside is not None:
            other.append(_timed(beside))
    beside_timing = percentiles(name, other_cold, other) if beside is not None else None
    return percentiles(name, cold, warm), answer, beside_timing


def _timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def percentiles(name: str, cold_ms: float, warm_ms: list[float], **details: Any) -> Timing:
    """A :class:`Timing` from a cold run and the warm runs (none: the cold run stands for them)."""
    if not warm_ms:
        return Timing(name, cold_ms, cold_ms, cold_ms, **details)
    warm = sorted(warm_ms)
    p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
    return Timing(name, cold_ms, statistics.median(warm), p95, **details)


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
    """Every catalog query run through :func:`explorer.query.runner.run_query`; with ``direct`` (a
    pyoxigraph Store on the same files), the text the explorer sends run on it too, each run right
    after the explorer's, reading as many rows as the explorer's answer holds (``direct_p50_ms``),
    at least :data:`PAIR_RUNS` times for a query under :data:`PAIR_UNDER_MS`."""
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
                   ) -> tuple[Callable[[], int] | None, float | None]:
    """The engine's call to time beside the explorer's, after one untimed-for-pairs run: (the call,
    None), or (None, that run's ms) when the engine alone is slow (evaluating a whole listing the
    explorer reads only as far as the row limit: not repeated), or (None, None) with no engine or
    when it failed (an error of the bare handle is not the explorer's)."""
    if engine is None:
        return None, None
    call = direct_call(engine, query, params, max_rows)
    try:
        once = _timed(call)
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


def direct_call(engine: Any, query: Any, params: dict[str, str], max_rows: int) -> Callable[[], int]:
    """A call running ``query`` on the pyoxigraph Store ``engine`` as the explorer sends it (its
    parameters bound in the text, its plan applied), reading each row's values (``tuple``, as the
    explorer's fast path does) up to ``max_rows`` rows; it returns the rows read."""
    text = sent_text(query, params)

    def run() -> int:
        return sum(1 for _ in islice(map(tuple, engine.query(text)), max_rows))

    return run


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


def _counted_total(store: Any, query: Any, params: dict[str, Any], known: int) -> tuple[int, bool]:
    """A paged listing's total, every policy counted by asking past its last row (not timed), and
    True; when that hits the time limit, the rows known and False (shown as ``N+``)."""
    from explorer.query.runner import run_query

    try:
        return run_query(store, query, params, offset=10**9, limit=PAGE_ROWS).rows_known, True
    except ExplorerError:
        return known, False


def time_coverage(store: Any, runs: int) -> Timing | None:
    """The coverage check (``explorer.coverage``): cold, one fixed question first in the process;
    warm, new questions on the same code (``warm_coverage_questions``), the index already read."""
    try:
        from explorer import coverage
    except ImportError:
        return None
    try:
        start = time.perf_counter()
        coverage(store, **COVERAGE_QUESTION)
        cold_ms = (time.perf_counter() - start) * 1000
        warm = []
        for question in warm_coverage_questions(0 if cold_ms > SLOW_SECONDS * 1000 else max(runs - 1, 1)):
            start = time.perf_counter()
            coverage(store, **question)
            warm.append((time.perf_counter() - start) * 1000)
        warm.sort()
        timing = Timing("coverage", cold_ms, statistics.median(warm) if warm else cold_ms,
                        warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))] if warm else cold_ms)
    except (ExplorerError, ImportError) as exc:
        return Timing("coverage", 0, 0, 0, error=str(exc))
    return timing


def disk_bytes(path: Path | None) -> int | None:
    if path is None or not path.exists():
        return None
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure_store(url: str, corpus_dir: str, *, runs: int = 10, validate_sample: int | None = 100,
                  disk_path: str | None = None, seed: int = 0, bulk: bool = True) -> StoreBench:
    """Ingest every document of ``corpus_dir`` into the store at ``url`` and measure it: with the
    bulk path where the store has it (``bulk``), else policy by policy, phase by phase."""
    from explorer.pipeline_bulk import supports_bulk
    from explorer.store import open_store

    if bulk:
        with open_store(url) as store:
            if supports_bulk(store):
                return _measure_bulk(store, url, corpus_dir, runs=runs, validate_sample=validate_sample,
                                     disk_path=disk_path, seed=seed)
    return _measure_per_policy(url, corpus_dir, runs=runs, validate_sample=validate_sample, disk_path=disk_path,
                               seed=seed)


def _measure_bulk(store: Any, url: str, corpus_dir: str, *, runs: int, validate_sample: int | None,
                  disk_path: str | None, seed: int) -> StoreBench:
    """The bulk path, as ``policy-explorer ingest`` takes it into a new store."""
    from explorer.pipeline import document_paths, ensure_vocabulary
    from explorer.pipeline_bulk import BulkStats, ingest_paths_bulk

    paths = document_paths([corpus_dir])
    start = time.perf_counter()
    ensure_vocabulary(store)
    vocabulary_s = time.perf_counter() - start
    stats = BulkStats()
    report = ingest_paths_bulk(store, paths, stats=stats)
    ingest_rss = peak_rss_mib()
    ingested = report.ingested
    numbers = [p.number for p in ingested]
    store_triples = store.stats()["triples"]
    queries = time_catalog(store, runs, numbers[0] if numbers else "338", _bare_handle(disk_path))
    forget_listings(store)  # the pages are timed as a process that read no listing yet reads them
    pages = time_pages(store, runs, numbers[0] if numbers else "338")
    coverage = time_coverage(store, runs)
    validate_s, results = _validate_sample(store, [p.iri for p in ingested], validate_sample, seed)
    return StoreBench(
        store=url, policies=len(paths), failed=len(report.failed), vocabulary_s=vocabulary_s,
        parse_s=stats.parse_s, model_s=stats.model_s, reason_s=stats.reason_s, write_s=stats.write_s,
        asserted_triples=sum(p.triples for p in ingested), inferred_triples=sum(p.inferred for p in ingested),
        store_triples=store_triples, disk_bytes=disk_bytes(Path(disk_path) if disk_path else None),
        queries=queries, coverage=coverage, validate_s=validate_s, validated=len(results),
        nonconforming=sum(not r.conforms for r in results), peak_rss_mib=peak_rss_mib(),
        wall_s=stats.wall_s + vocabulary_s, optimize_s=stats.optimize_s, workers=stats.workers,
        worker_peak_rss_mib=stats.worker_peak_rss_mib or None, ingest_peak_rss_mib=ingest_rss, pages=pages,
    )


def _bare_handle(disk_path: str | None) -> Any:
    """A read-only pyoxigraph Store on the measured store's files (None: no files), for timing
    the catalog on the engine alone beside the explorer."""
    if not disk_path:
        return None
    import pyoxigraph as ox

    return ox.Store.read_only(disk_path)


def _validate_sample(store: Any, iris: list[str], sample: int | None, seed: int) -> tuple[float, list[Any]]:
    """SHACL-validate every policy or a seeded sample, one graph at a time, in memory."""
    from explorer.model import graph_iri, load_vocabulary_graph
    from explorer.pipeline import validate_store
    from explorer.validate import validate_graph

    start = time.perf_counter()
    if sample is None or sample >= len(iris):
        results = [r for _, r in validate_store(store)]
    else:
        vocabulary = load_vocabulary_graph()
        chosen = random.Random(seed).sample(iris, sample)
        results = [validate_graph(store.get_graph(str(graph_iri(i))), vocabulary=vocabulary) for i in chosen]
    return time.perf_counter() - start, results


def _measure_per_policy(url: str, corpus_dir: str, *, runs: int, validate_sample: int | None,
                        disk_path: str | None, seed: int) -> StoreBench:
    """The per-policy path, phase by phase."""
    from explorer.ingest import load_lexicon, parse_policy_file
    from explorer.model import facts_to_graph, graph_iri, inferred_graph_iri, load_vocabulary_graph, policy_iri_of
    from explorer.model.iris import index_graph_iri
    from explorer.model.span_index import span_index
    from explorer.pipeline import document_paths, ensure_vocabulary, validate_store
    from explorer.reason import infer_policy
    from explorer.store import open_store
    from explorer.validate import validate_graph

    paths = document_paths([corpus_dir])
    lexicon = load_lexicon()
    phases = dict.fromkeys(("parse", "model", "reason", "write"), 0.0)
    asserted = inferred_total = failed = 0
    numbers: list[str] = []
    iris: list[Any] = []
    with open_store(url) as store:
        start = time.perf_counter()
        ensure_vocabulary(store)
        vocabulary_s = time.perf_counter() - start
        for path in paths:
            try:
                t0 = time.perf_counter()
                facts = parse_policy_file(path, lexicon)
                t1 = time.perf_counter()
                graph = facts_to_graph(facts)
                iri = policy_iri_of(facts)
                t2 = time.perf_counter()
                inferred = infer_policy(graph).graph
                t3 = time.perf_counter()
                store.replace_graph(str(graph_iri(iri)), graph)
                store.replace_graph(str(inferred_graph_iri(iri)), inferred)
                store.replace_graph(str(index_graph_iri(iri)), span_index(graph))
                t4 = time.perf_counter()
            except ExplorerError:
                failed += 1
                continue
            for phase, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                phases[phase] += seconds
            asserted += len(graph)
            inferred_total += len(inferred)
            numbers.append(facts.number)
            iris.append(iri)
        ingest_rss = peak_rss_mib()
        store_triples = store.stats()["triples"]
        queries = time_catalog(store, runs, numbers[0] if numbers else "338",
                               _bare_handle(disk_path) if url.startswith("oxigraph:") else None)
        forget_listings(store)
        pages = time_pages(store, runs, numbers[0] if numbers else "338")
        coverage = time_coverage(store, runs)
        start = time.perf_counter()
        if validate_sample is None or validate_sample >= len(iris):
            results = [r for _, r in validate_store(store)]
        else:  # validate_store's own steps for a sample: one policy graph at a time, in memory
            vocabulary = load_vocabulary_graph()
            chosen = random.Random(seed).sample(iris, validate_sample)
            results = [validate_graph(store.get_graph(str(graph_iri(i))), vocabulary=vocabulary) for i in chosen]
        validate_s = time.perf_counter() - start
    return StoreBench(
        store=url, policies=len(paths), failed=failed, vocabulary_s=vocabulary_s,
        parse_s=phases["parse"], model_s=phases["model"], reason_s=phases["reason"], write_s=phases["write"],
        asserted_triples=asserted, inferred_triples=inferred_total, store_triples=store_triples,
        disk_bytes=disk_bytes(Path(disk_path) if disk_path else None), queries=queries, coverage=coverage,
        validate_s=validate_s, validated=len(results), nonconforming=sum(not r.conforms for r in results),
        peak_rss_mib=peak_rss_mib(), ingest_peak_rss_mib=ingest_rss, pages=pages,
    )
