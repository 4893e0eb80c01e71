"""The seed policy's graph, built once, and a helper to take independent copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph


@pytest.fixture(scope="session")
def seed_graph(seed_web_path: Path) -> Graph:
    return facts_to_graph(parse_policy_file(seed_web_path))


@pytest.fixture()
def seed_copy(seed_graph: Graph) -> Graph:
    copy = Graph()
    for prefix, ns in seed_graph.namespaces():
        copy.bind(prefix, ns)
    copy += seed_graph
    return copy
