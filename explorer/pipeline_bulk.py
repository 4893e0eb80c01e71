"""The bulk ingest path: many new policies per store write, parsed, modelled and reasoned in worker
processes on every core.

Workers turn one document each into its report line and its three graphs (asserted, inferred, index:
``explorer.model.span_index``) as N-Quads bytes; the parent
collects them into batches (bounded in bytes, so memory stays flat however many documents there are)
and writes each batch with :meth:`explorer.store.oxigraph_store.OxigraphStore.bulk_add_graphs`, which
keeps every policy whole or absent across a crash, in a background thread while the workers build the
next batch (:class:`explorer.bulk_batch.BatchWriter`). Versions of a policy met in one batch are
decided there (:class:`explorer.bulk_batch.Batch`), as the per-policy path would have written them
one after the other. A policy already in the store (or in a batch already handed to the writer)
goes through the per-policy path, as :func:`explorer.pipeline.ingest_facts` writes it: the newest
version current, the others kept; it waits for the batch it follows to be written (with the others
met meanwhile, in their order), so a folder of dated versions does not cut the batches short.
The store is compacted at the end.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.bulk_batch import Batch, BatchWriter, Built
from explorer.freed_memory import resident_mib, trim_if_grown

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from explorer.ingest import Lexicon
    from explorer.pipeline import IngestReport
    from explorer.store import PolicyStore

BATCH_BYTES = 16 * 2**20     # N-Quads per bulk write (about 75,000 quads; two in memory: one written, one filling)
BULK_FROM_DOCUMENTS = 20     # the CLI takes the bulk path from this many documents (or into an empty store)
IN_PROCESS_BELOW = 8         # fewer documents than this: no worker processes (their start costs more)


@dataclass
class BulkStats:
    """Where a bulk ingest spent its time: phases summed over workers, writes and wall in the parent."""

    workers: int = 0
    batches: int = 0
    replaced: int = 0         # policies already in the store: written by the replace path
    merged: int = 0           # later versions of a policy met in the same batch: decided in it
    parse_s: float = 0.0
    model_s: float = 0.0
    reason_s: float = 0.0
    write_s: float = 0.0
    optimize_s: float = 0.0
    wall_s: float = 0.0
    worker_peak_rss_mib: float = 0.0
    batch_policies: list[int] = field(default_factory=list)


def bulk_helps(store: PolicyStore, documents: Sequence[Path]) -> bool:
    """Whether the bulk path is the faster one: an Oxigraph store that holds no policy yet, or many
    documents (re-ingested ones still go through the replace path inside it)."""
    from explorer.pipeline import policy_graph_iris

    return supports_bulk(store) and (len(documents) >= BULK_FROM_DOCUMENTS or not policy_graph_iris(store))


def supports_bulk(store: PolicyStore) -> bool:
    """Whether ``store`` has the bulk writer (Oxigraph, in memory or on disk)."""
    from explorer.store.oxigraph_store import OxigraphStore

    return isinstance(store, OxigraphStore)


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    from explorer.ingest import load_lexicon

    return load_lexicon()


def build_document(path: str, reason: bool = True) -> Built:
    """Parse, model and reason one document; its graphs as N-Quads (run in a worker process)."""
    from explorer.errors import ExplorerError, PolicyParseError
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph, graph_iri, inferred_graph_iri, policy_iri_of
    from explorer.model.iris import index_graph_iri
    from explorer.model.span_index import span_index
    from explorer.model.version_rdf import version_date, version_iri
    from explorer.pipeline import ingested_policy

    t0 = time.perf_counter()
    try:
        try:
            facts = parse_policy_file(Path(path), _lexicon())
        except OSError as exc:
            raise PolicyParseError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        t1 = time.perf_counter()
        iri = policy_iri_of(facts)
        graph = facts_to_graph(facts)
        # the version node and date the graph was given (explorer/model/version_rdf.py), from the
        # facts: reading them back from the graph built an index of its every triple to answer it
        version, date = version_iri(facts, iri), version_date(facts)
        t2 = time.perf_counter()
        inferred = None
        inconsistencies: tuple[str, ...] = ()
        if reason:
            from explorer.reason import infer_policy

            inference = infer_policy(graph)
            inferred, inconsistencies = inference.graph, inference.inconsistencies
        asserted_name, inferred_name = str(graph_iri(iri)), str(inferred_graph_iri(iri))
        index_name = str(index_graph_iri(iri))
        named = [(graph, asserted_name), (span_index(graph), index_name)]
        if inferred is not None:
            named.insert(1, (inferred, inferred_name))
        nquads, ntriples = _serialized(named)
        t3 = time.perf_counter()
    except ExplorerError as exc:
        return Built(path, None, str(exc), peak_rss_mib=_peak_rss_mib())
    except Exception as exc:  # a bug on one document must not stop the others (nor kill the worker)
        from explorer.pipeline import internal_failure

        return Built(path, None, internal_failure(path, exc), peak_rss_mib=_peak_rss_mib())
    assert nquads is not None
    policy = ingested_policy(facts, iri, graph, inferred, inconsistencies)
    return Built(path, policy, None, (asserted_name, inferred_name, index_name), nquads, ntriples,
                 (t1 - t0, t2 - t1, t3 - t2), _peak_rss_mib(), str(version), date)


def _serialized(named: list[tuple[Graph, str]]) -> tuple[bytes, bytes | None]:
    """The graphs as N-Quads (each in its named graph), and their triples as N-Triples for the
    default graph's union, or ``None`` when they hold a blank node (written quad by quad then)."""
    import pyoxigraph as ox

    from explorer.model.triple_store import triples_of
    from explorer.store.terms import graph_name, graph_to_quads, ntriples_bodies

    written: dict[Node, str] = {}
    lines: list[tuple[list[str], str]] = []
    for graph, name in named:
        bodies = ntriples_bodies(triples_of(graph), written)
        if bodies is None:
            quads = [q for g, n in named for q in graph_to_quads(g, n)]
            text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
            assert text is not None  # no output file given: the bytes
            return text, None
        lines.append((bodies, f" {graph_name(name)} .\n"))
    nquads = "".join(end.join(bodies) + end for bodies, end in lines if bodies)
    everything = [body for bodies, _ in lines for body in bodies]
    ntriples = " .\n".join(everything) + " .\n" if everything else ""
    return nquads.encode(), ntriples.encode()


def _start_worker(parent: int, reason: bool) -> None:
    """In a new worker: watch the ingesting process, load what every document needs, then freeze it.

    ``gc.freeze`` moves everything loaded so far (the lexicon, the vocabulary closure and its rule
    tables, inherited or built here) out of the collector's sight: each full collection used to
    walk it again, while a document allocates tens of thousands of short-lived objects (measured on
    150 generated policies: 52-54 ms a document before, 45 ms after). Frozen objects are still freed
    by reference counting; only a cycle among them would stay, and they live as long as the worker.
    """
    _watch_parent(parent)
    _lexicon()
    if reason:
        from rdflib import Graph

        from explorer.reason import infer_policy

        infer_policy(Graph())  # the rule tables and the closure's index, built once per worker
    gc.freeze()


def _watch_parent(parent: int) -> None:
    """In a worker: exit when the ingesting process is gone (killed), instead of waiting forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _built_in_order(paths: list[Path], reason: bool, workers: int) -> Iterator[Built]:
    """Each document built, in order; at most a few results wait in memory at any time."""
    if workers <= 0:
        for path in paths:
            yield build_document(str(path), reason)
        return
    in_flight = 2 * workers + 2
    # fork: workers start at once and share what is loaded (spawn would re-run a caller's unguarded
    # script); they only parse and reason, never touch the store or its threads
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _lexicon()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(os.getpid(), reason)) as pool:
        queue: deque[Future[Built]] = deque()
        todo = iter(paths)
        for path in todo:
            queue.append(pool.submit(build_document, str(path), reason))
            if len(queue) >= in_flight:
                break
        while queue:
            built = queue.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                queue.append(pool.submit(build_document, str(nxt), reason))
            yield built


def ingest_paths_bulk(
    store: PolicyStore,
    paths: list[Path],
    *,
    reason: bool = True,
    on_progress: Callable[[Path], None] | None = None,
    workers: int | None = None,
    batch_bytes: int = BATCH_BYTES,
    stats: BulkStats | None = None,
) -> IngestReport:
    """Ingest ``paths`` (already expanded) with the bulk writer; the same report as the per-policy path.

    ``workers``: processes that parse, model and reason (default: one per core; 0 = in this process).
    ``stats``, if given, is filled with where the time went.
    """
    from explorer.index_upkeep import ensure_span_index
    from explorer.pipeline import IngestFailure, IngestReport, ensure_vocabulary

    stats = stats if stats is not None else BulkStats()
    start, resident = time.perf_counter(), resident_mib()
    if workers is None:
        workers = 0 if len(paths) < IN_PROCESS_BELOW else (os.cpu_count() or 1)
    stats.workers = workers
    ensure_vocabulary(store)
    ensure_span_index(store)  # policies of a store written before the index existed
    present = set(store.graph_iris())
    report = IngestReport()
    batch = Batch()

    writer = BatchWriter(store, stats)
    # versions of policies already written: replaced after the batch they follow is written, in
    # their order (report position, document), so batches stay full-sized
    versions: list[tuple[int, Built]] = []

    def flush() -> None:
        """Hand the batch to the writer (its graphs count as present from now on), then, once it
        is written, the versions waiting for it."""
        nonlocal batch
        if len(batch):
            writer.submit(batch)
            stats.batches += 1
            stats.batch_policies.append(len(batch))
            present.update(batch.graphs())
        batch = Batch()
        if versions:
            writer.wait()
            t = time.perf_counter()
            for position, built in versions:
                assert built.policy is not None
                report.ingested[position] = replace(built.policy, kept_as=_replace(store, built))
                stats.replaced += 1
            stats.write_s += time.perf_counter() - t
            versions.clear()

    try:
        for built in _built_in_order(paths, reason, workers):
            stats.worker_peak_rss_mib = max(stats.worker_peak_rss_mib, built.peak_rss_mib)
            if built.policy is None:
                report.failed.append(IngestFailure(built.path, built.error or "failed"))
            else:
                for phase, seconds in zip(("parse_s", "model_s", "reason_s"), built.times, strict=True):
                    setattr(stats, phase, getattr(stats, phase) + seconds)
                # a full batch is written once the next document is not another version of one of
                # its policies (a folder of dated versions lists them side by side), or at twice its bound
                held = batch.size + sum(len(b.nquads) for _, b in versions)
                if held >= batch_bytes and not (batch.holds(built) and held < 2 * batch_bytes):
                    flush()
                if present.intersection(built.graphs):
                    versions.append((len(report.ingested), built))  # replace or keep it after the batch
                    report.ingested.append(built.policy)
                else:  # new, or another version of a policy in this batch (decided in the batch)
                    stats.merged += batch.holds(built)
                    report.ingested.append(replace(built.policy, kept_as=batch.add(built)))
            if on_progress is not None:
                on_progress(Path(built.path))
        flush()
        writer.wait()
    except BaseException:
        writer.abandon()  # stop at the first error or interrupt: the batches before it stay whole
        raise
    if stats.batches:
        t = time.perf_counter()
        store.optimize()  # type: ignore[attr-defined]
        stats.optimize_s = time.perf_counter() - t
    trim_if_grown(resident)  # the batches' bytes, freed, go back to the system (explorer/freed_memory.py)
    stats.wall_s = time.perf_counter() - start
    return report


def _replace(store: PolicyStore, built: Built) -> str:
    """The per-policy path for a policy already in the store: this version becomes current (the one
    it replaces is kept) or, older than the current one, is kept (:func:`explorer.versions.keep.keep_version`)."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from explorer.store.terms import from_ox
    from explorer.versions.keep import keep_version

    graphs: dict[str, Graph] = {name: Graph() for name in built.graphs}
    for q in ox.parse(built.nquads, format=ox.RdfFormat.N_QUADS, lenient=True):
        graphs[q.graph_name.value].add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    assert built.policy is not None
    # the inferred graph empty without reasoning: it is emptied in the store; keep_version derives the index
    asserted, inferred, _index = built.graphs
    return keep_version(store, URIRef(built.policy.iri), graphs[asserted], graphs[inferred])


__all__ = ["BulkStats", "bulk_helps", "ingest_paths_bulk", "supports_bulk"]
