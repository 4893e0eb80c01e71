"""Memory a query's engine freed goes back to the system after the query (explorer/freed_memory.py):
glibc keeps freed heap pages, and a long-lived process grew from one heavy query to the next.

Each check runs in a fresh Python process: in a test worker that already holds freed heap (CI's ran
at 1 GiB), new blocks reuse it and the resident set hardly moves, so nothing would be measured."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from explorer import freed_memory
from explorer.freed_memory import TRIM_AFTER_MIB, resident_mib, trim_if_grown

pytestmark = pytest.mark.skipif(freed_memory._malloc_trim() is None or resident_mib() is None,
                                reason="glibc's malloc_trim and /proc/self/statm (Linux)")

#: Defines heavy(): what an engine's hash join leaves, about 190 MiB of heap blocks (each under
#: glibc's mmap threshold) touched and freed, each with a small block still in use after it, so
#: glibc can neither merge them nor shrink the top of its heap.
HEAVY = textwrap.dedent("""
    import ctypes, ctypes.util, json
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    kept = []
    def heavy():
        blocks = []
        for _ in range(12_000):
            block = libc.malloc(16 * 1024)
            libc.memset(block, 1, 16 * 1024)
            blocks.append(block)
            kept.append(libc.malloc(64))
        for block in blocks:
            libc.free(block)
""")


def _in_fresh_process(body: str) -> dict[str, float]:
    """Run ``HEAVY`` then ``body`` (which prints one JSON object) in a new interpreter."""
    done = subprocess.run([sys.executable, "-c", HEAVY + textwrap.dedent(body)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_resident_mib_reads_this_process() -> None:
    import resource

    now = resident_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert now is not None and 1 < now <= peak + 1


def test_freed_heap_pages_are_given_back_after_growth() -> None:
    seen = _in_fresh_process("""
        from explorer.freed_memory import resident_mib, trim_if_grown
        before = resident_mib(); heavy(); grown = resident_mib()
        asked = trim_if_grown(before)
        print(json.dumps({"before": before, "grown": grown, "after": resident_mib(), "asked": asked}))
    """)
    assert seen["grown"] - seen["before"] > 150  # glibc kept what was freed
    assert seen["asked"]
    assert seen["grown"] - seen["after"] > 150


def test_small_growth_is_left_alone() -> None:
    now = resident_mib()
    assert now is not None
    assert not trim_if_grown(now)
    assert not trim_if_grown(now - TRIM_AFTER_MIB / 2)
    assert not trim_if_grown(None)


def test_run_query_gives_back_what_a_heavy_evaluation_freed() -> None:
    """A store whose evaluation allocates and frees in C, as Oxigraph's hash joins do: after
    ``run_query`` the process is back near where it started; the same evaluation outside
    ``run_query`` leaves it 150 MiB larger (so the first figure is not just a reused heap)."""
    seen = _in_fresh_process("""
        from explorer.freed_memory import resident_mib
        from explorer.query.limits import QueryLimits
        from explorer.query.runner import run_query
        from explorer.store import open_store

        class HeavyEngine:
            def __init__(self, inner): self.inner = inner
            def query(self, sparql, bindings=None, graphs=None):
                heavy()
                return self.inner.query(sparql, bindings, graphs)
            def graph_iris(self): return self.inner.graph_iris()

        store = open_store("memory:")
        before = resident_mib()
        answer = run_query(HeavyEngine(store), "ASK { ?s ?p ?o }", limits=QueryLimits(timeout_s=60)).boolean
        after_query = resident_mib()
        heavy()
        after_bare = resident_mib()
        print(json.dumps({"before": before, "after_query": after_query, "after_bare": after_bare,
                          "answer": answer}))
    """)
    assert seen["answer"] is False
    assert seen["after_query"] - seen["before"] < TRIM_AFTER_MIB, seen
    assert seen["after_bare"] - seen["after_query"] > 150, seen


def test_no_trim_where_there_is_no_malloc_trim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freed_memory, "_malloc_trim", lambda: None)
    assert not trim_if_grown(0.0)  # grown by the whole resident set, and still nothing to call
