"""Invoke the CLI in-process for tests."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from explorer.cli.main import cli


def run(*args: str, store: Path | str | None = None) -> Result:
    """``policy-explorer ARGS [--store STORE]``; stderr is kept apart from stdout."""
    argv = list(args) + (["--store", str(store)] if store is not None else [])
    return CliRunner().invoke(cli, argv, catch_exceptions=False)
