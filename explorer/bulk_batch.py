"""The bulk ingest's batches: built documents waiting for one store write, and the thread that
writes them (:mod:`explorer.pipeline_bulk` fills them).

A batch keeps each policy's versions met in it (a folder of dated versions: each document is a
version of one policy) and decides, as :func:`explorer.versions.keep.keep_version` would have
written them one after the other, which is current and which are kept: the current version's three
graphs are written as built, an earlier version's asserted graph under its version graph (outside
the union), each dated version linked to the one before it. The store then receives the outcome in
the batch's one bulk write, instead of every version after the first going through the per-policy
replace path (which reads the current graph back and rewrites it in a SPARQL Update: 1.2-1.9 s for a
large real policy, three quarters of the write time on the replicated real corpus).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

    from explorer.pipeline import IngestedPolicy
    from explorer.pipeline_bulk import BulkStats
    from explorer.store import PolicyStore


@dataclass(frozen=True)
class Built:
    """One document as a worker returns it: its report line, its graphs' names (asserted,
    inferred, index) and their quads, and the version of its policy it is."""

    path: str
    policy: IngestedPolicy | None
    error: str | None
    graphs: tuple[str, ...] = ()
    nquads: bytes = b""
    ntriples: bytes | None = None     # the same triples, when they hold no blank node
    times: tuple[float, float, float] = (0.0, 0.0, 0.0)
    peak_rss_mib: float = 0.0
    version: str = ""                 # its version IRI ({policy}/version/{date})
    date: str | None = None           # the version's date; None: undated


class _Versions:
    """The versions of one policy met in a batch: the current one, and the earlier ones kept."""

    def __init__(self, built: Built) -> None:
        self.current = built
        self.kept: dict[str, Built] = {}   # version IRI -> the document of that version

    def add(self, built: Built) -> tuple[str, int]:
        """Take one more version; return where it went (as ``keep_version`` says it) and the change
        in bytes held (a version rendered again drops the earlier rendering)."""
        from explorer.versions.keep import CURRENT, becomes_current, earlier_version
        from explorer.versions.store import StoredVersion

        current = self.current
        if becomes_current(built.date, built.version, StoredVersion(current.version, current.date, "", True)):
            gone = self.kept.pop(built.version, None)
            if current.version != built.version:
                self.kept[current.version] = current
            else:
                gone = current
            self.current = built
            kept_as = CURRENT
        else:
            gone = self.kept.get(built.version)
            self.kept[built.version] = built
            kept_as = earlier_version(current.date)
        dropped = 0 if gone is None else len(gone.nquads)
        return kept_as, len(built.nquads) - dropped

    def quads(self) -> tuple[bytes, bytes | None, list[str]]:
        """What the store receives: N-Quads, the union's N-Triples (None: a blank node, write quad
        by quad) and the graph names written."""
        if not self.kept:
            return self.current.nquads, self.current.ntriples, list(self.current.graphs)
        import pyoxigraph as ox
        from rdflib.namespace import PROV

        from explorer.model.iris import version_graph_iri
        from explorer.versions.keep import revision_links
        from explorer.versions.store import StoredVersion

        everything = [*self.kept.values(), self.current]
        links = revision_links([StoredVersion(b.version, b.date, "", b is self.current) for b in everything])
        revised = ox.NamedNode(str(PROV.wasRevisionOf))

        def link(built: Built, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
            older = links.get(built.version)
            return [] if older is None else [ox.Quad(ox.NamedNode(built.version), revised, ox.NamedNode(older), graph)]

        current, asserted = self.current, ox.NamedNode(self.current.graphs[0])
        current_link = link(current, asserted)
        nquads = [current.nquads, _nquads(current_link)]
        ntriples = None if current.ntriples is None else current.ntriples + _nquads(
            [ox.Quad(q.subject, q.predicate, q.object) for q in current_link])
        graphs = list(current.graphs)
        for built in self.kept.values():
            name = ox.NamedNode(str(version_graph_iri(built.version)))
            own = ox.NamedNode(built.graphs[0])
            renamed = [ox.Quad(q.subject, q.predicate, q.object, name)
                       for q in ox.parse(built.nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
                       if q.graph_name == own]
            nquads.append(_nquads(renamed + link(built, name)))
            graphs.append(name.value)
        return b"".join(nquads), ntriples, graphs


def _nquads(quads: list[ox.Quad]) -> bytes:
    import pyoxigraph as ox

    if not quads:
        return b""
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None  # no output file given: the bytes
    return text


class Batch:
    """New policies waiting for one bulk write, each with the versions of it met meanwhile."""

    def __init__(self) -> None:
        self._policies: dict[str, _Versions] = {}   # policy IRI -> its versions, in the order met
        self.size = 0                                # bytes of N-Quads held

    def __len__(self) -> int:
        return len(self._policies)

    def holds(self, built: Built) -> bool:
        """Whether a version of ``built``'s policy is in this batch."""
        assert built.policy is not None
        return built.policy.iri in self._policies

    def add(self, built: Built) -> str:
        """Take one document; return where its version went (``"current"`` or an earlier version)."""
        from explorer.versions.keep import CURRENT

        assert built.policy is not None
        versions = self._policies.get(built.policy.iri)
        if versions is None:
            self._policies[built.policy.iri] = _Versions(built)
            self.size += len(built.nquads)
            return CURRENT
        kept_as, grown = versions.add(built)
        self.size += grown
        return kept_as

    def graphs(self) -> list[str]:
        """The current versions' graph names (those a later document of the policy would replace)."""
        return [g for v in self._policies.values() for g in v.current.graphs]

    def write(self, store: PolicyStore) -> None:
        chunks, triples, graphs = [], [], []
        for versions in self._policies.values():
            nquads, ntriples, names = versions.quads()
            chunks.append(nquads)
            triples.append(ntriples)
            graphs.extend(names)
        union = None if any(t is None for t in triples) else b"".join(t for t in triples if t is not None)
        store.bulk_add_graphs(b"".join(chunks), graphs, union)  # type: ignore[attr-defined]


class BatchWriter:
    """Writes each batch in a background thread while the workers build the next ones: pyoxigraph's
    bulk loader releases the GIL, and the parent loop only has to keep the workers fed. One write at
    a time, in the order handed over (so at most one batch is written while the next one fills); a
    write's error is raised by the next :meth:`submit` or :meth:`wait`; each write's seconds are
    added to ``stats.write_s``."""

    def __init__(self, store: PolicyStore, stats: BulkStats) -> None:
        self._store = store
        self._stats = stats
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, batch: Batch) -> None:
        """Start writing ``batch`` once the write before it has ended."""
        self.wait()

        def write() -> None:
            t = time.perf_counter()
            try:
                batch.write(self._store)
            except BaseException as exc:  # raised again in the ingesting thread
                self._error = exc
            finally:
                self._stats.write_s += time.perf_counter() - t

        self._thread = threading.Thread(target=write, name="bulk-writer", daemon=True)
        self._thread.start()

    def abandon(self) -> None:
        """Let the write in progress end (a policy is whole or absent), keeping its error silent:
        the caller is raising its own."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._error = None

    def wait(self) -> None:
        """Block until the write in progress (if any) has ended; raise its error, if it failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


__all__ = ["Batch", "BatchWriter", "Built"]
