"""Wall time of a fresh ``policy-explorer coverage`` process against a measured store (issue 15:
"a fresh CLI process answers in well under a second"): start-up, imports, opening the store and
the answer, as a user at a shell sees it."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass

from explorer.bench.measure import COVERAGE_QUESTION

TIMEOUT_S = 120.0


@dataclass(frozen=True)
class FreshRun:
    """Wall seconds of ``runs`` fresh processes: the first (cold OS caches) and the median."""

    command: str
    first_s: float
    median_s: float
    runs: int
    error: str | None = None


def cli_command() -> list[str]:
    """The installed ``policy-explorer`` script, else this interpreter running the CLI's module."""
    script = shutil.which("policy-explorer")
    return [script] if script else [sys.executable, "-m", "explorer.cli.main"]


def coverage_command(store_url: str, question: Mapping[str, str] = COVERAGE_QUESTION) -> list[str]:
    """``policy-explorer coverage --code ... --store URL`` for the benchmark's coverage question."""
    args = [*cli_command(), "coverage"]
    for name, value in question.items():
        args += [f"--{name.replace('_', '-')}", value]
    return [*args, "--store", store_url]


def time_fresh_coverage(store_url: str, runs: int = 3) -> FreshRun:
    """Run the coverage question ``runs`` times, each in a new process; exit 0 or 1 is an answer
    (1: not covered), anything else is an error (its last stderr line is kept)."""
    command = coverage_command(store_url)
    shown = " ".join(["policy-explorer", *command[command.index("coverage"):]])
    walls: list[float] = []
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return FreshRun(shown, TIMEOUT_S, TIMEOUT_S, len(walls) + 1, f"no answer within {TIMEOUT_S:.0f} s")
        walls.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            return FreshRun(shown, walls[0], statistics.median(walls), len(walls), last)
    return FreshRun(shown, walls[0], statistics.median(walls), len(walls))
