"""Memory a query's engine freed goes back to the system after the query (explorer/query/freed_memory.py):
glibc keeps freed heap pages, and a long-lived process grew from one heavy query to the next."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator, Mapping, Sequence

import pytest
from rdflib.query import Result
from rdflib.term import Node

from explorer import freed_memory
from explorer.freed_memory import TRIM_AFTER_MIB, resident_mib, trim_if_grown
from explorer.query.limits import QueryLimits
from explorer.query.runner import run_query
from explorer.store import open_store

pytestmark = pytest.mark.skipif(freed_memory._malloc_trim() is None or resident_mib() is None,
                                reason="glibc's malloc_trim and /proc/self/statm (Linux)")

CHUNK = 16 * 1024          # under glibc's mmap threshold: served from the heap, kept there when freed
CHUNKS = 12_000            # ~190 MiB


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    return libc


def _allocate_and_free_in_c() -> None:
    """What an engine's hash join leaves: many heap blocks, touched, then freed, each with a small
    block still in use after it (so glibc can neither merge them nor shrink the top of its heap)."""
    libc = _libc()
    blocks = []
    for _ in range(CHUNKS):
        block = libc.malloc(CHUNK)
        libc.memset(block, 1, CHUNK)
        blocks.append(block)
        _allocate_and_free_in_c.kept.append(libc.malloc(64))  # type: ignore[attr-defined]
    for block in blocks:
        libc.free(block)


_allocate_and_free_in_c.kept = []  # type: ignore[attr-defined]


def test_resident_mib_reads_this_process() -> None:
    import resource

    now = resident_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert now is not None and 1 < now <= peak + 1


def test_freed_heap_pages_are_given_back_after_growth() -> None:
    before = resident_mib()
    _allocate_and_free_in_c()
    grown = resident_mib()
    assert before is not None and grown is not None
    assert grown - before > 150  # glibc kept what was freed
    assert trim_if_grown(before)
    after = resident_mib()
    assert after is not None and grown - after > 150


def test_small_growth_is_left_alone() -> None:
    now = resident_mib()
    assert now is not None
    assert not trim_if_grown(now)
    assert not trim_if_grown(now - TRIM_AFTER_MIB / 2)
    assert not trim_if_grown(None)


class _HeavyEngine:
    """A store whose evaluation allocates and frees in C, as Oxigraph's hash joins do."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              graphs: Sequence[str] | None = None) -> Result:
        _allocate_and_free_in_c()
        return self.inner.query(sparql, bindings, graphs)  # type: ignore[attr-defined, no-any-return]

    def graph_iris(self) -> list[str]:
        return self.inner.graph_iris()  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def heavy_store() -> Iterator[_HeavyEngine]:
    store = open_store("memory:")
    try:
        yield _HeavyEngine(store)
    finally:
        store.close()


def test_run_query_gives_back_what_a_heavy_evaluation_freed(heavy_store: _HeavyEngine) -> None:
    before = resident_mib()
    result = run_query(heavy_store, "ASK { ?s ?p ?o }", limits=QueryLimits(timeout_s=30))  # type: ignore[arg-type]
    after = resident_mib()
    assert result.boolean is False
    assert before is not None and after is not None
    assert after - before < TRIM_AFTER_MIB, (before, after)


def test_no_trim_where_there_is_no_malloc_trim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freed_memory, "_malloc_trim", lambda: None)
    assert not trim_if_grown(0.0)  # grown by the whole resident set, and still nothing to call
