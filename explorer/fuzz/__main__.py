"""``python -m explorer.fuzz --minutes N [--seed S]``: run the campaign, print figures and crashes."""

from __future__ import annotations

import argparse
import sys

from explorer.fuzz import FuzzReport, run_campaign


def _figures(report: FuzzReport) -> str:
    parts = [f"{name}: {n} tried, {report.typed_errors.get(name, 0)} typed errors"
             for name, n in sorted(report.tried.items())]
    return f"[{report.seconds:.0f} s] " + "; ".join(parts) + f"; crashes: {len(report.crashes)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.fuzz", description=__doc__)
    parser.add_argument("--minutes", type=float, default=3.0, help="how long to run (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same inputs)")
    args = parser.parse_args(argv)
    report = run_campaign(args.minutes, args.seed, on_progress=lambda r: print(_figures(r), flush=True))
    print(_figures(report))
    print(f"inputs tried: {sum(report.tried.values())}; crashes: {len(report.crashes)}")
    for crash in report.crashes[:20]:
        print(f"--- crash in {crash.target}: input {crash.input[:300]!r}\n{crash.error}")
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
