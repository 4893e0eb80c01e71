"""A CLI runner and an on-disk store with the seed ingested once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli.main import cli


def run(*args: str, store: Path | str | None = None):
    """Invoke ``policy-explorer ARGS`` in-process; stderr is kept apart from stdout."""
    argv = list(args) + (["--store", str(store)] if store is not None else [])
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, seed_web_path) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    result = run("ingest", str(seed_web_path), "-q", store=f"oxigraph:{path}")
    assert result.exit_code == 0, result.output + result.stderr
    return path
