"""Measure one store: ingest a corpus folder phase by phase, then time catalog queries and validation.

:func:`measure_store` is meant to run in a fresh process (see :mod:`explorer.bench.run`) so its
peak RSS belongs to that store alone.  Ingest makes the same calls as
:func:`explorer.pipeline.ingest_facts` (parse, model, reason, replace the two graphs), timed apart.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.bench.catalog_timing import time_catalog, time_pages
from explorer.bench.engine_process import EngineError, EngineProcess
from explorer.bench.timing import SLOW_SECONDS, Timing, peak_rss_mib
from explorer.errors import ExplorerError
from explorer.query.windows import forget_listings

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
    with _bare_engine(disk_path) as engine:
        queries = time_catalog(store, runs, numbers[0] if numbers else "338", engine)
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


@contextmanager
def _bare_engine(disk_path: str | None) -> Iterator[EngineProcess | None]:
    """A read-only pyoxigraph Store on the measured store's files, in a process of its own (its
    memory is not the explorer's), for timing the catalog on the engine alone beside the explorer;
    None without files or when it cannot open them (the explorer is measured all the same)."""
    if not disk_path:
        yield None
        return
    try:
        engine = EngineProcess(disk_path)
    except EngineError:
        yield None
        return
    with engine:
        yield engine


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
        with _bare_engine(disk_path if url.startswith("oxigraph:") else None) as engine:
            queries = time_catalog(store, runs, numbers[0] if numbers else "338", engine)
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
