"""`serve`: run the Streamlit explorer (``explorer/app/main.py``) in a subprocess.

Streamlit runs in its own process group. SIGTERM, SIGINT (Ctrl-C) and SIGHUP sent to ``serve`` are
passed to that whole group and ``serve`` waits for it to end (SIGKILL after ``STOP_GRACE_S``), so
stopping ``serve`` frees the port and the store's lock; on Linux Streamlit also gets SIGTERM if
``serve`` itself is killed outright (``PR_SET_PDEATHSIG``). Before, a SIGTERM ended ``serve`` alone
and left Streamlit running, holding both.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import click

from explorer.cli.common import STORE_ENV, fail, handle_errors, store_option


def app_path() -> Path:
    """The Streamlit entry script of the explorer."""
    import explorer.app

    return Path(explorer.app.__file__).resolve().parent / "main.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line for the explorer on ``host:port``, headless, no telemetry."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.headless", "true",
        "--server.address", host,
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
STOP_GRACE_S = 10.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux; elsewhere nothing)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def run_streamlit(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` in its own process group until it ends; a stop signal to this process is
    passed to the group. Returns the child's exit code, or 0 after a requested stop."""
    stops: list[int] = []
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, frame: FrameType | None) -> None:
        stops.append(signum)
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in STOP_SIGNALS}
    try:
        child = subprocess.Popen(command, env=env, start_new_session=True, preexec_fn=_die_with_parent)  # noqa: PLW1509
        if stops:  # a signal came while the child was starting
            os.killpg(child.pid, stops[0])
        deadline: float | None = None
        while True:
            try:
                code = child.wait(timeout=0.2)  # short waits: a wait resumed after a signal keeps its timeout
                break
            except subprocess.TimeoutExpired:
                if stops:
                    deadline = deadline or time.monotonic() + STOP_GRACE_S
                    if time.monotonic() > deadline:
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(child.pid, signal.SIGKILL)
    finally:
        if child is not None and child.poll() is None:  # serve itself failed: take the child along
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if stops else code


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@store_option
@handle_errors
def serve(host: str, port: int, store_url: str | None) -> None:
    """Open the explorer in a browser: policies, coverage check, evidence graph, SPARQL, ontology, exports.

    Without --store (or POLICY_EXPLORER_STORE) the app ingests the bundled policies into memory.
    """
    env = dict(os.environ)
    if store_url:
        env[STORE_ENV] = store_url
    click.echo(f"Policy Explorer on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        code = run_streamlit(streamlit_command(host, port), env)
    except OSError as exc:
        fail(f"cannot start streamlit: {exc}")
        return
    if code:
        sys.exit(code)


def register(cli: click.Group) -> None:
    cli.add_command(serve)
