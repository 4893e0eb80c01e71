"""A re-ingest that kills itself with SIGKILL at a chosen store-write boundary; and how to tell which
version of a policy a store holds afterwards.

``python -m tests.security.crash_child STORE DOCUMENT KILL_AT`` ingests DOCUMENT into STORE. Every
write the store sends to its backend (a pyoxigraph write call, a SPARQL Update request) is a
boundary: the process SIGKILLs itself right before write number KILL_AT, or right after its last
write when KILL_AT is one more than the number of writes. With KILL_AT 0 it runs to the end and
prints how many writes the ingest took. With ``CRASH_CHILD_ANNOUNCE=1`` in its environment it also
prints ``write N`` as each write starts, so a parent can kill it from outside in the middle of one.
With ``CRASH_CHILD_BULK=1`` it takes the bulk path (DOCUMENT may be a folder), one policy per bulk write
(with ``CRASH_CHILD_ONE_BATCH=1`` too: every document in one bulk write).
The library code runs unchanged: only the backend handle is wrapped, so whatever the store does
between two writes is what a kill there leaves. ``tests/security/crash_children.py`` forks the same
``main`` from one warmed-up process, for the tests that need a child at every boundary.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from rdflib import Literal

from explorer.model import graph_iri, inferred_graph_iri
from explorer.store import PolicyStore

POLICY = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
STATEMENT_NUMBER = Literal(4)  # statement IRIs are content keys: the edited statement gets a new one
OLD_STATUS = "Genetic modification of donor lymphocytes is **INVESTIGATIONAL**."
NEW_STATUS = "Genetic modification of donor lymphocytes is **MEDICALLY NECESSARY**."
# pyoxigraph.Store methods that change the store (each one is its own transaction)
OXIGRAPH_WRITES = frozenset({"update", "add", "remove", "extend", "bulk_extend", "load", "bulk_load",
                             "clear", "clear_graph", "remove_graph", "add_graph"})


def new_version(seed_text: str) -> str:
    """The seed policy with statement 4 changed from investigational to medically necessary."""
    assert OLD_STATUS in seed_text
    return seed_text.replace(OLD_STATUS, NEW_STATUS)


class Boundaries:
    """Counts writes; SIGKILLs the process at boundary ``kill_at``."""

    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.passed = 0

    def cross(self) -> None:
        self.passed += 1
        if self.passed == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if os.environ.get("CRASH_CHILD_ANNOUNCE"):
            print(f"write {self.passed}", flush=True)


class _OxigraphWrites:
    """A pyoxigraph Store whose writing methods cross a boundary first."""

    def __init__(self, inner: Any, boundaries: Boundaries) -> None:
        self._inner = inner
        self._boundaries = boundaries

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in OXIGRAPH_WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            self._boundaries.cross()
            return attr(*args, **kwargs)

        return write


def instrument(store: PolicyStore, boundaries: Boundaries) -> None:
    from explorer.store.oxigraph_store import OxigraphStore
    from explorer.store.sparql_store import SparqlStore

    if isinstance(store, OxigraphStore):
        store._store = _OxigraphWrites(store._store, boundaries)  # type: ignore[assignment]
    elif isinstance(store, SparqlStore):
        update: Callable[[str, str], None] = store._update

        def counted(text: str, what: str) -> None:
            if not text.lstrip().startswith("DROP SILENT GRAPH <urn:x-policy-explorer:tmp:"):
                boundaries.cross()  # (clean-up of temporary graphs after a failure is not a write)
            update(text, what)

        store._update = counted  # type: ignore[method-assign]
    else:
        raise SystemExit(f"cannot instrument {type(store).__name__}")


def version(store: PolicyStore) -> tuple[frozenset[object], frozenset[object], frozenset[object]]:
    """(asserted triples, inferred triples, statement 4's types as every query sees them)."""
    asserted = frozenset(store.get_graph(str(graph_iri(POLICY))))
    inferred = frozenset(store.get_graph(str(inferred_graph_iri(POLICY))))
    seen = frozenset(row[0] for row in store.query(  # type: ignore[index]
        "SELECT ?type WHERE { ?s <https://w3id.org/policy-explorer/ontology#statementNumber> ?n ; a ?type }",
        {"n": STATEMENT_NUMBER}))
    return asserted, inferred, seen


def main(argv: list[str]) -> None:
    from explorer.pipeline import document_paths, ingest_paths
    from explorer.pipeline_bulk import ingest_paths_bulk
    from explorer.store import open_store

    store_url, document, kill_at = argv[0], argv[1], int(argv[2])
    boundaries = Boundaries(kill_at)
    with open_store(store_url) as store:
        instrument(store, boundaries)
        if os.environ.get("CRASH_CHILD_BULK"):  # the bulk path: one bulk write per policy, in this process
            one_batch = bool(os.environ.get("CRASH_CHILD_ONE_BATCH"))   # (or every document in one)
            report = ingest_paths_bulk(store, document_paths([document]), workers=0,
                                       batch_bytes=2**40 if one_batch else 1)
        else:
            report = ingest_paths(store, [document])
        assert report.ok, report.failed
        boundaries.cross()  # right after the last write
    print(boundaries.passed - 1, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
