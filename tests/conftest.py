"""Fixtures shared by every test folder: the seed policy in both renderings, its graph and a store, and
the bundled corpus (data/policies: the seed beside the real policies).

Tests that need one policy ingest the seed file itself (``seed_web_path``), never the whole
``data/policies`` folder, so they stay fast and their answers stay those of the seed; the tests that
mean the bundled corpus take ``bundled_dir``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_WEB = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
SEED_PDF = ROOT / "tests" / "fixtures" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.pdf-text.txt"
BUNDLED = ROOT / "data" / "policies"


@pytest.fixture(scope="session")
def seed_web_path() -> Path:
    return SEED_WEB


@pytest.fixture(scope="session")
def seed_pdf_path() -> Path:
    return SEED_PDF


@pytest.fixture(scope="session")
def seed_graph(seed_web_path: Path):  # type: ignore[no-untyped-def]
    """The seed policy's asserted graph, built once per session: treat it as read-only (copy to edit)."""
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph

    return facts_to_graph(parse_policy_file(seed_web_path))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, seed_web_path) -> Path:
    """An on-disk Oxigraph store with the seed ingested (and reasoned) once per session, via the CLI."""
    from tests.cliutil import run

    path = tmp_path_factory.mktemp("cli") / "store"
    result = run("ingest", str(seed_web_path), "-q", store=f"oxigraph:{path}")
    assert result.exit_code == 0, result.stdout + result.stderr
    return path


@pytest.fixture(scope="session")
def bundled_dir() -> Path:
    """The bundled corpus: every document listed in ``data/policies/SOURCES.json``."""
    return BUNDLED


@pytest.fixture(scope="session")
def app_seed_store(tmp_path_factory, seed_store) -> str:
    """The store URL of an on-disk Oxigraph store with the seed, for the app's tests (the app opens it
    once per process and keeps it open, so it is not ``seed_store``, which the CLI tests open, but a
    copy of it: the same ingest, not run twice)."""
    import shutil

    path = tmp_path_factory.mktemp("app") / "store"
    shutil.copytree(seed_store, path)
    return f"oxigraph:{path}"


@pytest.fixture(scope="session")
def real_facts() -> Callable[[Path], Any]:
    """``real_facts(path)``: a document's ``PolicyFacts``, parsed once per session (frozen, so shared)."""
    from explorer.ingest import parse_policy_file

    cache: dict[Path, Any] = {}

    def get(path: Path) -> Any:
        key = Path(path).resolve()
        if key not in cache:
            cache[key] = parse_policy_file(key)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def real_validation(real_facts: Callable[[Path], Any]) -> Callable[[Path], Any]:
    """``real_validation(path)``: ``validate_graph(facts_to_graph(facts))`` of a document, once per
    session: SHACL over a large policy takes seconds, and several folders check the same documents."""
    from explorer.model import facts_to_graph
    from explorer.validate import validate_graph

    cache: dict[Path, Any] = {}

    def get(path: Path) -> Any:
        key = Path(path).resolve()
        if key not in cache:
            cache[key] = validate_graph(facts_to_graph(real_facts(key)))
        return cache[key]

    return get
