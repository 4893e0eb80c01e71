"""Time and row limits: stop a query that runs too long, whatever engine evaluates it.

Neither engine can be told to stop: rdflib evaluates SPARQL in Python with no timeout, and
pyoxigraph 0.5's ``Store.query`` has no timeout or cancellation in its Python API (oxigraph issue
#1926; the Rust ``CancellationToken`` is not exposed).  Measured on a 900-triple graph with a
four-way cartesian product and ``?a (<p>|!<p>)* ?b`` paths:

- ``isolation="thread"`` (default): the work runs in a daemon thread and the caller waits at most
  ``timeout_s``, then gets :class:`QueryError`.  rdflib is pure Python, so an asynchronous exception
  (``PyThreadState_SetAsyncExc``) stops its evaluation within milliseconds; a watchdog repeats it in
  case a bare ``except:`` inside rdflib swallowed it.  pyoxigraph releases the GIL while it
  evaluates, so the caller is still released on time, but the Rust evaluation cannot be
  interrupted: the exception lands when pyoxigraph next hands a solution to Python.  A query that
  streams solutions (a cartesian product, a plain pattern) therefore stops at its next row
  (measured: well under a second after the limit); a query whose first solution needs all the work
  done first (ORDER BY, GROUP BY / COUNT, a ``*`` or ``+`` property path closure) runs on to its end,
  holding a core and, for ORDER BY, ever more memory (measured: ~180 MB/s over a 3-way product of a
  12,788-triple store, for as long as we watched).  Such a thread is renamed :data:`STRAY_THREAD_NAME` and counted
  by :func:`stray_queries`, so a long-lived caller can refuse new work while too many run (the
  endpoint does).  Fine for the CLI (the process exits) and for rdflib-backed stores.
- ``isolation="process"`` (POSIX): the work runs in a forked child (copy-on-write view of an
  in-memory store; an on-disk Oxigraph store is read through the inherited handle) that sends back
  pickled rows; at the deadline the child gets SIGKILL, which stops Rust evaluation too.  Costs a
  fork per query (~5 ms here).  Use it where strangers run queries on a shared server (endpoint);
  it must not be used with a store that holds a live network connection it would share with the
  child (``sparql:`` stores apply the timeout to their HTTP request instead).

``sys.settrace`` was rejected (slows every rdflib query, cannot see Rust) and so was SIGALRM
(main thread only; Streamlit and HTTP servers run queries in worker threads).
"""

from __future__ import annotations

import ctypes
import os
import pickle
import selectors
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from explorer.errors import ExplorerError, QueryError

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
#: The name a worker thread takes when its query was stopped at the time limit but its evaluation
#: has not returned yet (see :func:`stray_queries`).
STRAY_THREAD_NAME = "explorer-query-timed-out"


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run and how many rows (or triples) it may return."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    max_rows: int = DEFAULT_MAX_ROWS
    isolation: Literal["thread", "process"] = "thread"

    def __post_init__(self) -> None:
        if not self.timeout_s > 0:
            raise QueryError(f"time limit must be positive, got {self.timeout_s}")
        if self.max_rows < 1:
            raise QueryError(f"row limit must be at least 1, got {self.max_rows}")
        if self.isolation not in ("thread", "process"):
            raise QueryError(f"isolation must be 'thread' or 'process', got {self.isolation!r}")
        if self.isolation == "process" and not hasattr(os, "fork"):
            raise QueryError("isolation='process' needs os.fork (POSIX)")


class QueryCancelled(BaseException):
    """Raised inside a worker thread to stop it; a BaseException so `except Exception` lets it pass."""


def call_with_time_limit(work: Callable[[], T], limits: QueryLimits) -> T:
    """``work()``'s result, or :class:`QueryError` once ``limits.timeout_s`` has passed.

    Errors raised by ``work`` reach the caller (in process isolation: as QueryError with the same
    message, since exceptions cross the process boundary as text).
    """
    if limits.isolation == "process":
        return _in_child(work, limits.timeout_s)
    return _in_thread(work, limits.timeout_s)


def stray_queries() -> int:
    """How many queries stopped at their time limit (thread isolation) are still being evaluated in
    this process: an engine that cannot be interrupted (Oxigraph computing an ORDER BY, an aggregate
    or a path closure) goes on until it hands back a row.  Process isolation never leaves any."""
    return sum(1 for thread in threading.enumerate() if thread.name == STRAY_THREAD_NAME)


def _timeout_error(timeout_s: float) -> QueryError:
    return QueryError(f"query stopped: it exceeded the time limit of {timeout_s:g} s "
                      "(raise it with --timeout, or narrow the query)")


class _Worker:
    """One query in a daemon thread, with a result box and a cancel switch."""

    def __init__(self, work: Callable[[], object]) -> None:
        self._work = work
        self._lock = threading.Lock()
        self.finished = False
        self.result: object = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="explorer-query", daemon=True)

    def _run(self) -> None:
        try:
            try:
                value = self._work()
                with self._lock:
                    self.finished = True
                    self.result = value
            except QueryCancelled:
                with self._lock:
                    self.finished = True
            except BaseException as exc:  # handed to the caller
                with self._lock:
                    self.finished = True
                    self.error = exc
        except QueryCancelled:  # a repeated cancel landing in the handlers above
            self.finished = True

    def cancel(self) -> bool:
        """Raise QueryCancelled in the thread unless it already finished; True if sent."""
        with self._lock:
            if self.finished or self.thread.ident is None:
                return False
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(self.thread.ident), ctypes.py_object(QueryCancelled))
            return True


def _in_thread(work: Callable[[], T], timeout_s: float) -> T:
    worker = _Worker(work)
    worker.thread.start()
    worker.thread.join(timeout_s)
    if worker.thread.is_alive() and worker.cancel():
        worker.thread.name = STRAY_THREAD_NAME
        threading.Thread(target=_keep_cancelling, args=(worker,), name="explorer-query-watchdog",
                         daemon=True).start()
        raise _timeout_error(timeout_s)
    worker.thread.join()
    if worker.error is not None:
        raise worker.error
    return worker.result  # type: ignore[return-value]


def _keep_cancelling(worker: _Worker, every_s: float = 0.2) -> None:
    """Repeat the cancel until the thread stops (a bare ``except:`` may have eaten one)."""
    while worker.thread.is_alive():
        worker.thread.join(every_s)
        if worker.thread.is_alive():
            worker.cancel()


def _in_child(work: Callable[[], T], timeout_s: float) -> T:
    deadline = time.monotonic() + timeout_s
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: run, send (ok, value) or (error, message), exit without cleanup
        os.close(read_fd)
        try:
            try:
                payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
            except ExplorerError as exc:
                payload = pickle.dumps(("error", str(exc)))
            except BaseException as exc:
                payload = pickle.dumps(("error", f"query failed: {type(exc).__name__}: {exc}"))
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(read_fd, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    os.kill(pid, signal.SIGKILL)
                    raise _timeout_error(timeout_s)
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    if not chunks:
        raise QueryError(f"query failed: the evaluating process died ({_describe_status(status)})")
    status_word, value = pickle.loads(b"".join(chunks))
    if status_word == "error":
        raise QueryError(value)
    return value


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
