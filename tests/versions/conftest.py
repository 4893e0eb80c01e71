"""The real policies bundled in two dated versions (data/policies), parsed once for the version tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "data" / "policies"
PAIRS = {  # name -> (older, newer) as fetched
    "molina": ("molina-MCP-051-genetic-testing.2026-02-05.txt", "molina-MCP-051-genetic-testing.2026-03-22.txt"),
    "geisinger": ("geisinger-MP360-minimal-residual-disease.2026-02-05.txt",
                  "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"),
    "bcbssc": ("bcbssc-liquid-biopsy.2026-02-05.txt", "bcbssc-liquid-biopsy.2026-03-22.txt"),
}


@pytest.fixture(scope="session")
def version_graphs() -> dict[str, tuple[Graph, Graph]]:
    """name -> (older graph, newer graph), each the asserted graph ingest would store."""
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph

    return {name: (facts_to_graph(parse_policy_file(POLICIES / old)), facts_to_graph(parse_policy_file(POLICIES / new)))
            for name, (old, new) in PAIRS.items()}



def ingest_two_versions(store_url: str) -> None:
    """Molina MCP-051 in both dated versions (the newer current, the older kept) and Geisinger
    MP360 in one, as `policy-explorer ingest` stores them."""
    from tests.cliutil import run

    molina_old, molina_new = PAIRS["molina"]
    files = [POLICIES / molina_new, POLICIES / molina_old, POLICIES / PAIRS["geisinger"][1]]  # newer first
    result = run("ingest", *map(str, files), "-q", "--no-reason", store=store_url)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def two_version_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An on-disk Oxigraph store: ``ingest_two_versions``."""
    url = f"oxigraph:{tmp_path_factory.mktemp('versions') / 'store'}"
    ingest_two_versions(url)
    return url


@pytest.fixture(scope="session")
def app_two_version_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like ``two_version_store``, for the app: the app keeps its store open for the whole process,
    so it gets a store of its own."""
    url = f"oxigraph:{tmp_path_factory.mktemp('app-versions') / 'store'}"
    ingest_two_versions(url)
    return url
