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


def keep_earlier_version(store_url: str, older: Path) -> None:
    """Keep ``older`` as an earlier version of its policy in the store, as the store keeps one
    (its own graph, ``explorer.versions.store``); the current version is ingested as usual."""
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph, policy_iri_of
    from explorer.model.iris import version_graph_iri
    from explorer.model.version_rdf import version_iri
    from explorer.store import open_store

    facts = parse_policy_file(older)
    with open_store(store_url) as store:
        store.replace_graph(str(version_graph_iri(version_iri(facts, policy_iri_of(facts)))), facts_to_graph(facts))


@pytest.fixture(scope="session")
def two_version_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An on-disk Oxigraph store with Molina MCP-051 (current: 2026-03-22's document, earlier kept:
    2026-02-05's), Geisinger MP360 in one version only, and the seed."""
    from tests.cliutil import run

    url = f"oxigraph:{tmp_path_factory.mktemp('versions') / 'store'}"
    molina_old, molina_new = PAIRS["molina"]
    result = run("ingest", str(POLICIES / molina_new), str(POLICIES / PAIRS["geisinger"][1]), "-q", "--no-reason",
                 store=url)
    assert result.exit_code == 0, result.output
    keep_earlier_version(url, POLICIES / molina_old)
    return url


@pytest.fixture(scope="session")
def app_two_version_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like ``two_version_store`` (Molina MCP-051 in two versions, Geisinger MP360 in one), for the
    app: the app keeps its store open for the whole process, so it gets a store of its own."""
    from tests.cliutil import run

    url = f"oxigraph:{tmp_path_factory.mktemp('app-versions') / 'store'}"
    result = run("ingest", str(POLICIES / PAIRS["molina"][1]), str(POLICIES / PAIRS["geisinger"][1]), "-q",
                 "--no-reason", store=url)
    assert result.exit_code == 0, result.output
    keep_earlier_version(url, POLICIES / PAIRS["molina"][0])
    return url
