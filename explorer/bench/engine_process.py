"""The engine alone, in a process of its own: a read-only pyoxigraph Store on the measured store's
files that runs the texts it is sent and times each where it runs.

``bench run`` times every catalog query on this bare handle right after the explorer's run of it
(the explorer / engine ratio). Opened in the measured process, the handle's RocksDB caches and the
rows it decodes counted in that process's peak memory (at 10,000 policies the two handles together
peaked 661 MiB where either alone stayed under 400): the figure the issue's memory target is about
is the explorer's. A spawned process keeps them apart; it times each read itself, so the pipe
between the two is not in the engine's figure.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from itertools import islice
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from explorer.errors import ExplorerError


class EngineError(ExplorerError):
    """The bare handle could not open the store or run a text (not the explorer's failure)."""


def read_ms(store: Any, text: str, max_rows: int) -> float:
    """Milliseconds for ``store`` (a pyoxigraph Store) to answer ``text`` and hand back the values
    of up to ``max_rows`` rows (``tuple`` per row, as the explorer's fast path reads them)."""
    start = time.perf_counter()
    sum(1 for _ in islice(map(tuple, store.query(text)), max_rows))
    return (time.perf_counter() - start) * 1000


def _serve(connection: Connection, path: str) -> None:
    """The child's loop: open ``path`` read-only, then answer ``(text, max_rows)`` messages with
    ``("ok", ms)`` or ``("error", message)`` until ``None`` arrives."""
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        connection.send(("error", f"cannot open {path} read-only: {exc}"))
        return
    connection.send(("ok", 0.0))
    try:
        while (message := connection.recv()) is not None:
            text, max_rows = message
            try:
                connection.send(("ok", read_ms(store, text, max_rows)))
            except Exception as exc:  # noqa: BLE001 - any failure of the bare handle goes back as text
                connection.send(("error", f"{type(exc).__name__}: {exc}"))
    except (EOFError, BrokenPipeError):  # the measuring process is gone: end quietly
        return


class EngineProcess:
    """A read-only pyoxigraph Store on ``path`` in a spawned process; :meth:`read_ms` times a text
    on it. Use as a context manager (the process ends on exit)."""

    def __init__(self, path: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end, path), name="bench-engine")
        self._process.start()
        child_end.close()
        self._answer()  # the store opened, or EngineError

    def _answer(self) -> float:
        try:
            status, value = self._connection.recv()
        except EOFError:
            raise EngineError(f"the engine process ended (exit code {self._process.exitcode})") from None
        if status != "ok":
            raise EngineError(value)
        return float(value)

    def read_ms(self, text: str, max_rows: int) -> float:
        """Milliseconds the engine took for ``text``, up to ``max_rows`` rows (timed in its process)."""
        self._connection.send((text, max_rows))
        return self._answer()

    def close(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):  # the child gone already: nothing to tell it
                self._connection.send(None)
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._connection.close()

    def __enter__(self) -> EngineProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


__all__ = ["EngineError", "EngineProcess", "read_ms"]
