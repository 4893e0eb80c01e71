"""SIGTERM (and SIGINT) to a real ``policy-explorer serve``: Streamlit must stop with it, freeing the
port and the store's lock (before the fix a SIGTERM ended ``serve`` alone and Streamlit went on
holding both). SIGKILL cannot be passed on: on Linux the kernel sends Streamlit SIGTERM when its
parent dies. A headless chromium loads the app first, so a session really holds the store."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from explorer.errors import StoreError
from explorer.store import open_store

ROOT = Path(__file__).resolve().parents[2]
STARTUP_S = 90.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children_of(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def store_locked(url: str) -> bool:
    try:
        with open_store(url):
            return False
    except StoreError as exc:
        if "locked" in str(exc):
            return True
        raise


def wait_for(condition: object, what: str, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "_stcore/health", timeout=2) as response:  # noqa: S310 (loopback)
            return bool(response.status == 200)
    except OSError:
        return False


def open_app_in_chromium(base: str) -> None:
    """Load the app once so a session opens the store (Streamlit runs the app only for a browser)."""
    from tests.browser_support import launch_chromium

    with launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base, wait_until="domcontentloaded", timeout=60_000)
        page.wait_for_timeout(3000)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_stop_signal_to_serve_stops_streamlit_and_frees_port_and_store(seed_store: Path, tmp_path: Path,
                                                                       stop: signal.Signals) -> None:
    shutil.copytree(seed_store, tmp_path / "store")
    store_url = f"oxigraph:{tmp_path / 'store'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if k != "POLICY_EXPLORER_STORE"}
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))  # this checkout's code
    log = tmp_path / "serve.log"
    started: list[int] = []
    with log.open("wb") as out:
        serve = subprocess.Popen([sys.executable, "-m", "explorer.cli.main", "serve", "--port", str(port),
                                  "--store", store_url], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: healthy(base), "serve never answered", STARTUP_S, log)
        started = children_of(serve.pid)
        assert started, "serve runs streamlit as its child"
        with contextlib.suppress(pytest.skip.Exception):  # without chromium: the port and the child only
            open_app_in_chromium(base)
            wait_for(lambda: store_locked(store_url), "the app never opened the store", 60, log)
        os.kill(serve.pid, stop)
        code = serve.wait(timeout=30)
        wait_for(lambda: not any(alive(pid) for pid in started), "streamlit outlived serve", 15, log)
        assert not port_open(port)
        assert not store_locked(store_url)
        # a requested stop is not a crash; SIGKILL cannot be caught (Streamlit got SIGTERM from the kernel)
        assert code == (-signal.SIGKILL if stop == signal.SIGKILL else 0)
    finally:
        for pid in [serve.pid, *started]:  # only what this test started, by its id
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        serve.wait(timeout=10)
