"""Render time of each explorer page (a benchmark, not a test).

    python -m explorer.bench.app_pages [--runs 5] [--store oxigraph:/path/to/store]

Each page is opened headless with ``streamlit.testing.v1.AppTest``; the first run (which opens the
store, fills caches and, on the bundled corpus, ingests or loads the cached policies) is reported
apart from the warm runs. ``--store`` measures the app on an existing store (the app's
``POLICY_EXPLORER_STORE``), e.g. one ingested from ``bench generate --policies 1000``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

PAGES = {
    "policies": None,
    "coverage": "views/coverage.py",
    "graph": "views/graph.py",
    "workbench": "views/sparql.py",
    "ontology": "views/ontology.py",
    "exports": "views/exports.py",
}


def render_times(runs: int = 5) -> dict[str, tuple[float, float]]:
    """{page: (first run seconds, median warm run seconds)}."""
    import importlib.util

    from streamlit.testing.v1 import AppTest

    spec = importlib.util.find_spec("explorer.app")  # located, not imported: the bench stays below the app
    assert spec is not None and spec.origin is not None
    main = str(Path(spec.origin).resolve().parent / "main.py")
    out: dict[str, tuple[float, float]] = {}
    for name, path in PAGES.items():
        timings = []
        for _ in range(runs + 1):
            at = AppTest.from_file(main, default_timeout=120)
            if path:
                at.switch_page(path)
            started = time.perf_counter()
            at.run()
            timings.append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"page {name} raised: {[e.value for e in at.exception]}")
        out[name] = (timings[0], statistics.median(timings[1:]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median reported)")
    parser.add_argument("--store", help="the app's store URL (default: the bundled corpus)")
    args = parser.parse_args()
    if args.store:
        os.environ["POLICY_EXPLORER_STORE"] = args.store
    print(f"{'page':<12}{'first run s':>12}{'warm median s':>15}")
    for page, (first, warm) in render_times(args.runs).items():
        print(f"{page:<12}{first:>12.3f}{warm:>15.3f}")


if __name__ == "__main__":
    main()
