"""The explorer served by streamlit on a free loopback port for the test session, stopped by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.cli.serve_cmds import streamlit_command

STARTUP_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + "_stcore/health", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {STARTUP_S:.0f} s:\n{log.read_text(errors='replace')}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop streamlit and its children: its own process group, by PID."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` of a running explorer on the bundled policies (in memory, from the
    corpus cache)."""
    from tests.browser_support import chromium_path

    chromium_path()  # skip before starting a server that no browser would visit
    from explorer.corpus_cache import open_cached_corpus

    # build (or check) the bundled corpus's on-disk cache first, as a first start would: the server
    # then loads it, and no test's page-load timeout has to cover the build
    open_cached_corpus().store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "POLICY_EXPLORER_STORE"}
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    with log.open("wb") as out:
        proc = subprocess.Popen(streamlit_command("127.0.0.1", port), stdout=out, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True, cwd=tmp_path_factory.getbasetemp())
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        _stop(proc)


