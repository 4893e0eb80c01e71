"""Reference points for the benchmark: the same quads loaded and queried without the explorer.

- pyoxigraph's raw bulk load of the N-Quads the Oxigraph store ends up holding, and each catalog
  query run on that store directly (``Store.query``, default graph = union of named graphs);
- rdflib's in-memory ``Dataset`` loading the same N-Quads (slow; only at small sizes);
- owlrl's naive whole-corpus OWL RL closure against per-policy reasoning
  (:mod:`explorer.bench.reasoning`, on copies of the seed policy).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from explorer.bench.catalog_timing import catalog_params, sent_text
from explorer.bench.measure import disk_bytes
from explorer.bench.timing import Timing, peak_rss_mib, repeat


@dataclass(frozen=True)
class Anchors:
    quads: int
    pyoxigraph_load_s: float
    pyoxigraph_queries: tuple[Timing, ...]
    pyoxigraph_rss_mib: float
    rdflib_load_s: float | None = None
    rdflib_rss_mib: float | None = None
    pyoxigraph_disk_bytes: int | None = None  # the same quads bulk-loaded on disk and optimized


@dataclass(frozen=True)
class ReasoningAnchor:
    policies: int
    infer_per_policy_s: float
    owlrl_full_per_policy_s: float

    @property
    def speedup(self) -> float:
        return self.owlrl_full_per_policy_s / self.infer_per_policy_s


def dump_nquads(store_dir: str, out: str) -> None:
    """Write every quad of the on-disk Oxigraph store at ``store_dir`` to ``out`` (N-Quads): the
    policy graphs and the default graph holding their union, the layout the anchor then queries."""
    import pyoxigraph as ox

    store = ox.Store.read_only(store_dir)
    store.dump(out, format=ox.RdfFormat.N_QUADS)


def pyoxigraph_anchor(nquads: str, runs: int, policy_number: str, disk_dir: str | None = None) -> Anchors:
    """Bulk-load ``nquads`` into a pyoxigraph Store (in memory, or on disk in ``disk_dir`` for large
    corpora) and run the catalog on it."""
    import pyoxigraph as ox

    from explorer.query.catalog import load_catalog

    store = ox.Store(disk_dir) if disk_dir else ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    load_s = time.perf_counter() - start
    timings = []
    for name, query in sorted(load_catalog().items()):
        params = catalog_params(query, policy_number)
        if params is None:
            continue
        text = sent_text(query, params)

        def run(text: str = text) -> int:
            return sum(1 for _ in store.query(text))  # the default graph: the union, as in our store

        timing, rows, _ = repeat(name, run, runs)
        timings.append(Timing(name, timing.cold_ms, timing.p50_ms, timing.p95_ms, rows))
    return Anchors(len(store), load_s, tuple(timings), peak_rss_mib())


def pyoxigraph_disk_size(nquads: str, directory: str) -> int:
    """Bytes on disk of a new Oxigraph store at ``directory`` holding ``nquads``, bulk-loaded and
    optimized as the explorer's bulk ingest leaves its store: the size the explorer's is compared to."""
    import pyoxigraph as ox

    loaded = Path(directory).exists()  # the on-disk anchor of a large corpus: already loaded
    store = ox.Store(directory)
    if not loaded:
        store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store  # closes the database
    return disk_bytes(Path(directory)) or 0


def rdflib_anchor(nquads: str) -> tuple[float, float]:
    """Seconds for rdflib's in-memory Dataset to parse ``nquads``, and the peak RSS (MiB)."""
    from rdflib import Dataset

    start = time.perf_counter()
    Dataset().parse(Path(nquads), format="nquads")
    return time.perf_counter() - start, peak_rss_mib()


def reasoning_anchor(policies: int) -> ReasoningAnchor:
    """Per-policy ``infer_policy`` vs owlrl's closure of the whole corpus (seed copies)."""
    from explorer.bench.reasoning import run

    result = run(policies, full=True)
    assert result.full_per_policy is not None
    return ReasoningAnchor(policies, result.infer_per_policy, result.full_per_policy)
