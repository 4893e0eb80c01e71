"""The seed policy's graph, built once, and a helper to take independent copies of it."""

from __future__ import annotations

import pytest
from rdflib import Graph


@pytest.fixture()
def seed_copy(seed_graph: Graph) -> Graph:
    copy = Graph()
    for prefix, ns in seed_graph.namespaces():
        copy.bind(prefix, ns)
    copy += seed_graph
    return copy
