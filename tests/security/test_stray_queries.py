"""Queries stopped at the time limit in thread isolation (the app, an endpoint with --isolation
thread): what keeps running afterwards, and how the endpoint refuses to pile up more.

pyoxigraph cannot be interrupted: a timed-out query stops only when it next hands a row to Python.
A streaming Oxigraph query must therefore stop right after the limit; one that computes everything
before its first row (ORDER BY, COUNT, path closures) goes on as a "stray" thread, which
``stray_queries()`` counts and the endpoint answers 503 for instead of starting more."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Mapping, Sequence

import pytest
from rdflib.query import Result
from rdflib.term import Node

from explorer.endpoint import EndpointConfig
from explorer.errors import QueryError
from explorer.query.limits import IDLE_THREAD_NAME, STRAY_THREAD_NAME, QueryLimits, stray_queries
from explorer.query.runner import run_query
from explorer.store import open_store
from tests.endpoint.http import get_query, serve

CARTESIAN_4 = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HANG_GUARD_S = 15.0  # a guard against hanging, not a benchmark


def _query_threads() -> list[str]:
    """Workers (running or stray) and their watchdogs; not the idle ones waiting for a query (a
    thread that was sent a cancel never waits there: tests/security/test_query_threads.py)."""
    return [t.name for t in threading.enumerate()
            if t.name.startswith("explorer-query") and t.name != IDLE_THREAD_NAME]


def _wait_for_no_strays() -> None:
    deadline = time.monotonic() + HANG_GUARD_S
    while stray_queries() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stray_queries() == 0, _query_threads()


def test_streaming_oxigraph_query_stops_after_the_time_limit(seed_store, tmp_path, monkeypatch):
    """Thread isolation, real Oxigraph store: the evaluating thread ends soon after the caller was
    released (at the next row), so it holds neither a core nor the store's directory lock."""
    # The cancel may land in a finalizer run by the worker ("Exception ignored in ..."; the watchdog
    # sends it again). Python's default hook prints and drops that traceback in the worker thread;
    # pytest's keeps it for a warning and frees it later in the main thread, where pyo3 refuses to
    # drop the query's (thread-bound) solutions iterator and leaks it with the store's lock. Record
    # the text only, as the default hook would.
    ignored: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: ignored.append(type(u.exc_value).__name__))
    shutil.copytree(seed_store, tmp_path / "store")
    _wait_for_no_strays()
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    try:
        with pytest.raises(QueryError, match="time limit"):
            run_query(store, CARTESIAN_4, limits=QueryLimits(timeout_s=0.5, max_rows=10**12))
        deadline = time.monotonic() + HANG_GUARD_S
        while _query_threads() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _query_threads() == []
    finally:
        store.close()
    with open_store(f"oxigraph:{tmp_path / 'store'}") as again:  # the lock was released
        assert again.graph_iris()
    assert set(ignored) <= {"QueryCancelled"}


class UninterruptibleStore:
    """A store whose evaluation blocks outside Python until ``finish`` is set, as Oxigraph does while
    it sorts or counts a huge product: the cancel cannot land before it returns."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.finish = threading.Event()

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              graphs: Sequence[str] | None = None) -> Result:
        self.finish.wait()
        return self.inner.query(sparql, bindings, graphs)  # type: ignore[attr-defined, no-any-return]

    def graph_iris(self) -> list[str]:
        return self.inner.graph_iris()  # type: ignore[attr-defined, no-any-return]


def test_endpoint_refuses_new_queries_while_strays_run(hostile_store):
    store = UninterruptibleStore(hostile_store)
    config = EndpointConfig(limits=QueryLimits(timeout_s=0.5, isolation="thread"), max_concurrent=1)
    _wait_for_no_strays()
    try:
        with serve(store, config) as endpoint:
            stopped = get_query(endpoint.url, "ASK { ?s ?p ?o }")
            assert stopped.status == 503 and "time limit" in stopped.text
            assert stray_queries() == 1
            assert [t.name for t in threading.enumerate()].count(STRAY_THREAD_NAME) == 1
            refused = get_query(endpoint.url, "ASK { ?s ?p ?o }")
            assert refused.status == 503 and "still finishing 1 queries" in refused.text
            assert refused.headers["Retry-After"]
            store.finish.set()       # the engine returns; the pending cancel lands; the thread ends
            _wait_for_no_strays()
            answered = get_query(endpoint.url, "ASK { ?s ?p ?o }")
            assert answered.status == 200, answered.text
    finally:
        store.finish.set()
