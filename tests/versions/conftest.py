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
