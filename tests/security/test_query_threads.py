"""The threads that run queries under a time limit (thread isolation): reused between queries,
never after a cancel. A thread per query cost more than a small query itself, so workers wait in a
pool; a cancel (an asynchronous exception) sent to a worker must never land in a later query."""

from __future__ import annotations

import os
import threading
import time

import pytest

from explorer.errors import QueryError
from explorer.query.limits import IDLE_THREAD_NAME, STRAY_THREAD_NAME, QueryLimits, call_with_time_limit

HANG_GUARD_S = 15.0  # a guard against hanging, not a benchmark


def _thread_of_a_query(limits: QueryLimits) -> int:
    return call_with_time_limit(threading.get_ident, limits)


def test_a_finished_query_thread_serves_the_next_query():
    limits = QueryLimits(timeout_s=5)
    first = _thread_of_a_query(limits)
    assert first != threading.get_ident()  # not run in the caller's thread
    assert _thread_of_a_query(limits) == first
    idle = [t for t in threading.enumerate() if t.ident == first]
    assert idle and idle[0].name == IDLE_THREAD_NAME


def test_a_timed_out_thread_never_serves_another_query():
    """The worker whose query passed the limit is left to finish (stray) and then ends; queries in
    the meantime and afterwards run on other threads."""
    release = threading.Event()
    stuck: list[int] = []

    def blocks_outside_python() -> None:  # like Oxigraph sorting: the cancel lands only after it
        stuck.append(threading.get_ident())
        release.wait()

    with pytest.raises(QueryError, match="time limit of 0.2 s"):
        call_with_time_limit(blocks_outside_python, QueryLimits(timeout_s=0.2))
    stray = next(t for t in threading.enumerate() if t.ident == stuck[0])
    assert stray.name == STRAY_THREAD_NAME
    limits = QueryLimits(timeout_s=5)
    assert all(_thread_of_a_query(limits) != stuck[0] for _ in range(20))
    release.set()
    stray.join(HANG_GUARD_S)
    assert not stray.is_alive()
    assert all(_thread_of_a_query(limits) != stuck[0] for _ in range(20))


def test_a_late_cancel_never_reaches_the_next_query():
    """Queries that end right at their limit (cancelled or not, by a hair), each followed by a quick
    one: every quick one answers, whatever the race left pending in the thread before it."""
    def sleeps_about_the_limit() -> str:
        time.sleep(0.004)
        return "slow"

    def quick() -> int:
        total = 0
        for i in range(2_000):  # Python bytecode: where a pending asynchronous exception lands
            total += i
        return total

    outcomes = {"answered": 0, "stopped": 0}
    for _ in range(300):
        try:
            call_with_time_limit(sleeps_about_the_limit, QueryLimits(timeout_s=0.004))
            outcomes["answered"] += 1
        except QueryError:
            outcomes["stopped"] += 1
        assert call_with_time_limit(quick, QueryLimits(timeout_s=5)) == sum(range(2_000))
    assert outcomes["stopped"] > 0, outcomes  # the race was really run


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")
def test_a_forked_child_starts_its_own_query_threads():
    """The parent's idle workers do not exist in a forked child (a bulk-ingest worker, a
    process-isolated query): the child's queries must not be handed to them."""
    limits = QueryLimits(timeout_s=2)
    _thread_of_a_query(limits)  # a worker now waits in the parent's pool
    pid = os.fork()
    if pid == 0:
        try:
            ok = call_with_time_limit(lambda: 42, limits) == 42
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
