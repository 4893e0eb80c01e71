"""Time and row limits: stop a query that runs too long, whatever engine evaluates it.

Neither engine can be told to stop: rdflib evaluates SPARQL in Python with no timeout, and
pyoxigraph 0.5's ``Store.query`` has no timeout or cancellation in its Python API (oxigraph issue
#1926; the Rust ``CancellationToken`` is not exposed).  Measured on a 900-triple graph with a
four-way cartesian product and ``?a (<p>|!<p>)* ?b`` paths:

- ``isolation="thread"`` (default): the work runs in a daemon worker thread (kept in a small pool
  between queries, never reused after a cancel) and the caller waits at most ``timeout_s``, then
  gets :class:`QueryError`.  rdflib is pure Python, so an asynchronous exception
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
import queue
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
#: A worker thread running a query, and one waiting in the pool for the next.
QUERY_THREAD_NAME = "explorer-query"
IDLE_THREAD_NAME = "explorer-query-idle"


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


class _Job:
    """One query's work, its result box and its cancel switch."""

    def __init__(self, work: Callable[[], object]) -> None:
        self._work = work
        self._lock = threading.Lock()
        self.done = threading.Event()
        self.finished = False
        self.cancelled = False
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        """Run the work in the calling (worker) thread; never raises."""
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

    def cancel(self, thread: threading.Thread) -> bool:
        """Raise QueryCancelled in ``thread`` (running this job) unless the job already finished;
        True if sent. A thread sent a cancel never takes another job (see :class:`_Worker`)."""
        with self._lock:
            if self.finished or thread.ident is None:
                return False
            self.cancelled = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread.ident), ctypes.py_object(QueryCancelled))
            return True


class _Worker:
    """A daemon thread that runs jobs one at a time and, between them, waits in the idle pool.

    Starting a thread per query cost more than a small query itself (0.2 ms of 0.5 ms at 1,000
    policies, more on a loaded machine). A cancel is sent to a thread only while its job runs
    (:meth:`_Job.cancel`, under the job's lock), and a thread whose job was cancelled ends after it
    instead of going back to the pool, so a late cancel can never land in someone else's query.
    """

    def __init__(self) -> None:
        self._inbox: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._serve, name=QUERY_THREAD_NAME, daemon=True)
        self.thread.start()

    def submit(self, job: _Job) -> None:
        self.thread.name = QUERY_THREAD_NAME
        self._inbox.put(job)

    def _serve(self) -> None:
        try:
            while True:
                job = self._inbox.get()
                try:
                    job.run()
                    # back in the pool before the caller hears of the answer: its next query
                    # finds this thread waiting instead of starting another
                    kept = not job.cancelled and _IDLE.give_back(self)
                finally:
                    job.done.set()
                if not kept:
                    return
        except QueryCancelled:  # a cancel landing after its job's handlers: end here
            return


class _IdlePool:
    """Worker threads waiting for a job, at most ``size`` of them (more are started when needed
    and end after their job)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []

    def take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Worker()

    def give_back(self, worker: _Worker) -> bool:
        """Keep ``worker`` for a later query; False if the pool is full (the thread then ends)."""
        with self._lock:
            if len(self._idle) >= self._size:
                return False
            worker.thread.name = IDLE_THREAD_NAME
            self._idle.append(worker)
            return True

    def forget(self) -> None:
        """In a forked child: the parent's threads do not exist here."""
        self._lock = threading.Lock()
        self._idle = []


_IDLE = _IdlePool(size=4)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_IDLE.forget)


def _in_thread(work: Callable[[], T], timeout_s: float) -> T:
    job = _Job(work)
    worker = _IDLE.take()
    worker.submit(job)
    if not job.done.wait(timeout_s) and job.cancel(worker.thread):
        worker.thread.name = STRAY_THREAD_NAME
        threading.Thread(target=_keep_cancelling, args=(job, worker.thread), name="explorer-query-watchdog",
                         daemon=True).start()
        raise _timeout_error(timeout_s)
    job.done.wait()
    if job.error is not None:
        raise job.error
    return job.result  # type: ignore[return-value]


def _keep_cancelling(job: _Job, thread: threading.Thread, every_s: float = 0.2) -> None:
    """Repeat the cancel until the thread stops (a bare ``except:`` may have eaten one)."""
    while thread.is_alive():
        thread.join(every_s)
        if thread.is_alive():
            job.cancel(thread)


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
