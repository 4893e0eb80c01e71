"""The benchmark: generate a corpus, ingest it into each store, measure, and compare with anchors.

Each store is measured in a fresh (spawned) process, so peak RSS is that store's own.  The result
is a :class:`BenchReport`; :func:`format_report` turns it into the table the CLI prints.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from explorer.bench.anchors import Anchors, ReasoningAnchor
from explorer.bench.catalog_timing import PAGE_ROWS
from explorer.bench.fresh_cli import FreshRun
from explorer.bench.measure import StoreBench


@dataclass(frozen=True)
class BenchOptions:
    policies: int = 100
    stores: tuple[str, ...] = ("memory:", "oxigraph:")  # "oxigraph:" alone = a directory in the work dir
    seed: int = 0
    runs: int = 10
    validate_sample: int | None = 100
    anchors: bool = True
    rdflib_max_policies: int = 100  # rdflib Memory load only up to this corpus size
    owlrl_policies: int = 0  # seed copies for the naive owlrl closure anchor; 0 = skip
    workdir: str | None = None
    bulk: bool = True  # Oxigraph stores take the bulk ingest path (explorer.pipeline_bulk)
    fresh_runs: int = 3  # new `policy-explorer coverage` processes timed on the Oxigraph store; 0 = skip
    corpus: str = "generated"  # or "bundled": the bundled real policies replicated (explorer.bench.real_corpus)


@dataclass(frozen=True)
class BenchReport:
    policies: int
    seed: int
    generate_s: float
    stores: tuple[StoreBench, ...]
    anchors: Anchors | None = None
    reasoning: ReasoningAnchor | None = None
    notes: tuple[str, ...] = field(default=())
    fresh_coverage: FreshRun | None = None  # `policy-explorer coverage` in new processes, on the Oxigraph store
    corpus: str = "generated"
    corpus_note: str = ""  # what the corpus holds, when it is not generated

    def to_json(self) -> dict[str, Any]:
        """The report's fields, and ``targets``: issue 15's table (:mod:`explorer.bench.targets`)."""
        from explorer.bench.targets import check_targets, targets_json

        return {**asdict(self), "targets": targets_json(check_targets(self))}


def report_from_json(data: dict[str, Any]) -> BenchReport:
    """A report back from :meth:`BenchReport.to_json` (e.g. to print a saved ``--json`` run as a table)."""
    from explorer.bench.timing import Timing

    def timing(t: dict[str, Any] | None) -> Timing | None:
        return None if t is None else Timing(**{**t, "params": tuple(tuple(p) for p in t.get("params", ()))})

    stores = tuple(StoreBench(**{**s, "queries": tuple(timing(q) for q in s["queries"]),
                                 "pages": tuple(timing(q) for q in s.get("pages", ())),
                                 "coverage": timing(s.get("coverage"))}) for s in data["stores"])
    a = data.get("anchors")
    anchors = None if a is None else Anchors(**{**a, "pyoxigraph_queries":
                                                   tuple(timing(q) for q in a["pyoxigraph_queries"])})
    r, fresh = data.get("reasoning"), data.get("fresh_coverage")
    return BenchReport(data["policies"], data["seed"], data["generate_s"], stores, anchors,
                       None if r is None else ReasoningAnchor(**r), tuple(data.get("notes", ())),
                       None if fresh is None else FreshRun(**fresh), data.get("corpus", "generated"),
                       data.get("corpus_note", ""))


def _in_child(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` in a fresh spawned process (its own peak RSS); not a daemon, so the
    bulk ingest in it can start its worker processes."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(func, *args, **kwargs).result()


def run_benchmark(options: BenchOptions, on_step: Callable[[str], None] | None = None) -> BenchReport:
    """Generate ``options.policies`` documents, measure each store, then the anchors."""
    from explorer.bench import anchors as anchor
    from explorer.bench.fresh_cli import time_fresh_coverage
    from explorer.bench.measure import measure_store

    step = on_step or (lambda _: None)
    with tempfile.TemporaryDirectory(prefix="policy-bench-", dir=options.workdir) as tmp:
        work = Path(tmp)
        step(f"generating {options.policies} policies" if options.corpus == "generated" else
             f"replicating the bundled real policies to {options.policies} documents")
        start = time.perf_counter()
        corpus_dir, first_number, corpus_note = _write_corpus(options, work / "corpus")
        generate_s = time.perf_counter() - start
        results: list[StoreBench] = []
        notes: list[str] = []
        oxigraph_dir: str | None = None
        for k, url in enumerate(options.stores):
            if url == "memory:" and options.policies > options.rdflib_max_policies:
                notes.append(f"memory: (rdflib) skipped above {options.rdflib_max_policies} policies")
                continue
            disk = None
            if url in ("oxigraph:", "oxigraph"):
                disk = str(work / f"oxigraph-{k}")
                url = "oxigraph:" + disk
            elif url.startswith("oxigraph:"):
                disk = url[len("oxigraph:"):]
            step(f"measuring {url}")
            results.append(_in_child(measure_store, url, corpus_dir, runs=options.runs,
                                     validate_sample=options.validate_sample, disk_path=disk, seed=options.seed,
                                     bulk=options.bulk))
            if disk and oxigraph_dir is None:
                oxigraph_dir = disk
        anchors = reasoning = fresh = None
        if options.anchors and oxigraph_dir is not None:
            step("anchors: pyoxigraph raw load and queries")
            nquads = str(work / "corpus.nq")
            _in_child(anchor.dump_nquads, oxigraph_dir, nquads)
            # on disk like the measured store, so load time, query times and size compare like with like
            disk_anchor = str(work / "anchor-store")
            notes.append("pyoxigraph anchor bulk-loaded on disk, as the measured Oxigraph store is")
            anchors = _in_child(anchor.pyoxigraph_anchor, nquads, options.runs, first_number, disk_anchor)
            step("anchors: the bulk-loaded store's size on disk")
            size = _in_child(anchor.pyoxigraph_disk_size, nquads, disk_anchor)
            anchors = replace(anchors, pyoxigraph_disk_bytes=size)
            if options.policies <= options.rdflib_max_policies:
                step("anchors: rdflib Memory load")
                load_s, rss = _in_child(anchor.rdflib_anchor, nquads)
                anchors = replace(anchors, rdflib_load_s=load_s, rdflib_rss_mib=rss)
            else:
                notes.append(f"rdflib Memory load skipped above {options.rdflib_max_policies} policies")
        elif options.anchors:
            notes.append("pyoxigraph anchors need an oxigraph: store in the run")
        if oxigraph_dir is not None and options.fresh_runs > 0:  # after the dump: the CLI may add to the store
            step("a fresh `policy-explorer coverage` process on the Oxigraph store")
            fresh = time_fresh_coverage(f"oxigraph:{oxigraph_dir}", options.fresh_runs)
        if options.owlrl_policies > 0:
            step(f"anchors: owlrl naive closure of {options.owlrl_policies} seed copies")
            reasoning = _in_child(anchor.reasoning_anchor, options.owlrl_policies)
    return BenchReport(options.policies, options.seed, generate_s, tuple(results), anchors, reasoning, tuple(notes),
                       fresh, options.corpus, corpus_note)


def _write_corpus(options: BenchOptions, directory: Path) -> tuple[str, str, str]:
    """The corpus's folder, a policy number it holds, and (for the bundled one) what it holds."""
    if options.corpus == "bundled":
        from explorer.bench.real_corpus import replicate_corpus
        from explorer.resources import policies_dir

        real = replicate_corpus(policies_dir(), directory, options.policies)
        left = "; left out: " + ", ".join(f"{name} ({why})" for name, why in real.skipped) if real.skipped else ""
        return real.directory, real.first_number, (
            f"the bundled real policies ({len(real.originals)} documents) and their replicas: "
            f"{real.documents} documents, {real.policies} policies{left}")
    if options.corpus != "generated":
        raise ValueError(f"unknown corpus {options.corpus!r}: generated or bundled")
    from explorer.bench.corpus import generate_corpus

    corpus = generate_corpus(directory, options.policies, seed=options.seed)
    return corpus.directory, corpus.policies[0].number if corpus.policies else "338", ""


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def format_report(report: BenchReport) -> str:
    """The report as plain-text tables (one column per store), issue 15's targets last."""
    from explorer.bench.targets import check_targets, format_targets

    stores = report.stores
    names = [s.store.split(":", 1)[0] + (":" if ":" in s.store else "") for s in stores]
    width = max([14, *(len(n) for n in names)])
    lines = [f"policies {report.policies} (seed {report.seed}), generated in {report.generate_s:.2f} s", ""] \
        if report.corpus == "generated" else \
        [f"documents {report.policies}: {report.corpus_note}; written in {report.generate_s:.2f} s", ""]

    def row(label: str, cells: Sequence[str]) -> None:
        lines.append(f"{label:<34}" + "".join(f"{c:>{width + 2}}" for c in cells))

    row("", names)
    per = [max(s.policies - s.failed, 1) for s in stores]
    row("ingest total (s)", [f"{s.ingest_s:.2f}" for s in stores])
    row("  docs/s", [f"{n / s.ingest_s:.1f}" for s, n in zip(stores, per, strict=True)])
    row("  triples/s (asserted+inferred)",
        [f"{(s.asserted_triples + s.inferred_triples) / s.ingest_s:,.0f}" for s in stores])
    for phase in ("parse", "model", "reason", "write"):  # bulk: parse/model/reason summed over the workers
        row(f"  {phase} per policy (ms)",
            [f"{getattr(s, phase + '_s') * 1000 / n:.1f}" for s, n in zip(stores, per, strict=True)])
    row("vocabulary + its closure (s)", [f"{s.vocabulary_s:.2f}" for s in stores])
    row("failed documents", [str(s.failed) for s in stores])
    row("asserted / inferred triples", [f"{s.asserted_triples:,}/{s.inferred_triples:,}" for s in stores])
    row("triples in store", [f"{s.store_triples:,}" for s in stores])
    row("store size on disk (MiB)", [f"{s.disk_bytes / 2**20:.1f}" if s.disk_bytes else "-" for s in stores])
    row("  ingest path", [f"bulk, {s.workers} workers" if s.wall_s is not None else "per policy" for s in stores])
    row("  optimize at the end (s)", [f"{s.optimize_s:.2f}" if s.wall_s is not None else "-" for s in stores])
    row("peak RSS (MiB)", [f"{s.peak_rss_mib:.0f}" for s in stores])
    row("  worker peak RSS (MiB)", [f"{s.worker_peak_rss_mib:.0f}" if s.worker_peak_rss_mib else "-" for s in stores])
    row("validate (s) / policies / failing", [f"{s.validate_s:.1f}/{s.validated}/{s.nonconforming}" for s in stores])
    lines += ["", "query p50 warm / cold (ms), rows"]
    for k, timing in enumerate(stores[0].queries if stores else ()):
        cells = []
        for s in stores:
            t = s.queries[k]
            cells.append("error" if t.error else f"{t.p50_ms:.1f}/{t.cold_ms:.0f} {t.rows}{'+' if t.truncated else ''}")
        row(f"  {timing.name}", cells)
    if stores and stores[0].coverage is not None:
        row("  coverage check", [("error" if s.coverage is None or s.coverage.error
                                  else f"{s.coverage.p50_ms:.1f}/{s.coverage.cold_ms:.0f}") for s in stores])
    if any(t.direct_p50_ms for s in stores for t in s.queries):
        lines += ["", "the same text on a bare pyoxigraph handle of the store's files, each run right after the "
                  "explorer's: engine p50 (ms), explorer / engine"]
        for k, timing in enumerate(stores[0].queries if stores else ()):
            cells = []
            for s in stores:
                t = s.queries[k]
                cells.append(f"{t.direct_p50_ms:.1f} {_ratio(t.p50_ms, t.direct_p50_ms)}"
                             if t.direct_p50_ms and not t.error else "-")
            row(f"  {timing.name}", cells)
    if stores and stores[0].pages:
        lines += ["", f"a page of {PAGE_ROWS} rows, as the app reads it: later pages p50 / first page (ms), total rows"]
        for k, timing in enumerate(stores[0].pages):
            cells = []
            for s in stores:
                page = s.pages[k] if k < len(s.pages) else None
                cells.append("-" if page is None else "error" if page.error
                             else f"{page.p50_ms:.1f}/{page.cold_ms:.0f} {page.rows}{'+' if page.truncated else ''}")
            row(f"  {timing.name}", cells)
    if len(stores) > 1:
        lines += ["", f"ratios against {names[0]}"]
        base = stores[0]
        row("  ingest time", [_ratio(s.ingest_s, base.ingest_s) for s in stores])
        row("  store writes", [_ratio(s.write_s, base.write_s) for s in stores])
        row("  peak RSS", [_ratio(s.peak_rss_mib, base.peak_rss_mib) for s in stores])
        row("  sum of query p50", [_ratio(sum(t.p50_ms for t in s.queries), sum(t.p50_ms for t in base.queries))
                                   for s in stores])
    lines += _anchor_lines(report, row)
    lines += [f"note: {n}" for n in report.notes]
    lines += ["", *format_targets(check_targets(report), report.policies, report.corpus)]
    return "\n".join(lines)


def _anchor_lines(report: BenchReport, row: Callable[[str, Sequence[str]], None]) -> list[str]:
    out: list[str] = []
    a, stores = report.anchors, report.stores
    if a is not None:
        out += ["", f"anchors ({a.quads:,} quads)"]
        size = f", {a.pyoxigraph_disk_bytes / 2**20:.1f} MiB on disk (optimized)" if a.pyoxigraph_disk_bytes else ""
        out.append(f"  pyoxigraph bulk load: {a.pyoxigraph_load_s:.2f} s, peak RSS {a.pyoxigraph_rss_mib:.0f} MiB"
                   + size)
        for s in stores:
            out.append(f"  {s.store.split(':', 1)[0]}: store writes {_ratio(s.write_s, a.pyoxigraph_load_s)}, "
                       f"text->store {_ratio(s.ingest_s, a.pyoxigraph_load_s)} of the raw load")
        if a.rdflib_load_s is not None:
            out.append(f"  rdflib Memory load: {a.rdflib_load_s:.2f} s, peak RSS {a.rdflib_rss_mib or 0:.0f} MiB "
                       f"({_ratio(a.rdflib_load_s, a.pyoxigraph_load_s)} of pyoxigraph)")
        direct = {t.name: t for t in a.pyoxigraph_queries}
        out.append("  catalog query p50: explorer store / pyoxigraph directly")
        for k, timing in enumerate(stores[0].queries if stores else ()):
            d = direct.get(timing.name)
            if d is not None:
                cells = [_ratio(s.queries[k].p50_ms, d.p50_ms) for s in stores]
                out.append(f"    {timing.name:<30} direct {d.p50_ms:8.2f} ms  " + "  ".join(cells))
    r = report.reasoning
    if r is not None:
        out += ["", f"reasoning ({r.policies} seed copies): infer_policy {r.infer_per_policy_s * 1000:.0f} ms/policy, "
                f"owlrl naive closure {r.owlrl_full_per_policy_s * 1000:.0f} ms/policy: {r.speedup:.0f}x faster"]
    return out
