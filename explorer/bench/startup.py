"""Start-up on the bundled corpus (issue 15 item 6): ``policy-explorer serve`` to the first rendered
Policies page in chromium, with a fresh ``HOME`` (the corpus store, ICD-10-CM table and vocabulary
caches all built) and then again with the same ``HOME`` (loaded from those caches).

    python -m explorer.bench.startup [--later 3] [--timeout 300]

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright`` package (a dev
dependency); never downloads a browser. Each start is a new ``policy-explorer serve`` process (the
README's command) on a free loopback port, timed from its launch until the Policies
table is drawn in the page; the server's CPU time (its worker processes included) is read when it
is stopped. A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
#: Headless, no sandbox (root in a container), none of chromium's own background traffic.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync")
#: What the Policies page shows once its table is drawn.
RENDERED = "[data-testid='stDataFrame']"
#: Issue 15 item 6: to the first rendered page, a first start and a later one (seconds).
FIRST_START_S, LATER_START_S = 60, 5


@dataclass(frozen=True)
class Start:
    label: str
    wall_s: float
    server_cpu_s: float
    answered_s: float   # launch -> the server answered the page's address (the rest: browser and script)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _first_render(page: Any, url: str, proc: subprocess.Popen[bytes], deadline: float) -> float:
    """Load ``url`` until the server answers, then wait for the Policies table; returns when the
    server answered (``time.monotonic()``)."""
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            page.goto(url, timeout=10_000)
            answered = time.monotonic()
            break
        except Exception:  # noqa: BLE001 - connection refused until streamlit listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    left_ms = max(1_000, (deadline - time.monotonic()) * 1000)
    page.locator(RENDERED).first.wait_for(timeout=left_ms)
    return answered


def _stop(proc: subprocess.Popen[bytes]) -> float:
    """Stop the server (``serve`` passes the signal to streamlit and waits for it); its CPU seconds,
    streamlit's and the ingest workers' included."""
    os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = 0
            return usage.ru_utime + usage.ru_stime
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)  # streamlit dies with it (serve starts it with a parent-death signal)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = -9
    return usage.ru_utime + usage.ru_stime


def time_start(browser: Any, home: Path, label: str, timeout_s: float, log: Path) -> Start:
    """One ``policy-explorer serve`` with ``HOME=home``, to the first rendered Policies page."""
    command = shutil.which("policy-explorer")
    if command is None:
        raise SystemExit("policy-explorer is not on PATH (pip install -e .)")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("POLICY_EXPLORER_STORE", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    page = browser.new_page()
    started = time.monotonic()
    with log.open("ab") as out:
        proc = subprocess.Popen([command, "serve", "--host", "127.0.0.1", "--port", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=home)
    try:
        answered = _first_render(page, f"http://127.0.0.1:{port}/", proc, started + timeout_s)
        wall = time.monotonic() - started
    finally:
        cpu = _stop(proc)
        page.close()
    return Start(label, wall, cpu, answered - started)


def run(later: int, timeout_s: float) -> list[Start]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="policy-startup-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        home, log = Path(tmp) / "home", Path(tmp) / "streamlit.log"
        home.mkdir()
        try:
            starts = [time_start(browser, home, "first, fresh HOME", timeout_s, log)]
            starts += [time_start(browser, home, f"later ({k})", timeout_s, log) for k in range(1, later + 1)]
        finally:
            browser.close()
    return starts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--later", type=int, default=3, help="starts after the first, same HOME (default 3)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a start may take (default 300)")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    starts = run(args.later, args.timeout)
    print(f"start-up on the bundled corpus (load average {load:.2f} before, {os.getloadavg()[0]:.2f} after)")
    print(f"  {'start':<22}{'wall s':>8}{'answered s':>12}{'server CPU s':>14}  target")
    for s in starts:
        limit_s = FIRST_START_S if s is starts[0] else LATER_START_S
        verdict = "met" if s.wall_s <= limit_s else "missed"
        figures = f"{s.wall_s:>8.1f}{s.answered_s:>12.1f}{s.server_cpu_s:>14.1f}"
        print(f"  {s.label:<22}{figures}  <= {limit_s:g} s {verdict}")
    print("  (answered: launch to the server answering the page's address; the rest is the browser and the script)")


if __name__ == "__main__":
    main()
