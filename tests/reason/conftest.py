"""The seed policy's asserted graph, its inference, and owlrl's naive reference closure."""

from __future__ import annotations

import pytest
from rdflib import Graph

from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph
from explorer.reason import Inference, full_closure, infer_policy, vocabulary_closure
from tests.conftest import SEED_WEB


@pytest.fixture(scope="session")
def seed_graph() -> Graph:
    return facts_to_graph(parse_policy_file(str(SEED_WEB)))


@pytest.fixture(scope="session")
def closure() -> Graph:
    return vocabulary_closure()


@pytest.fixture(scope="session")
def seed_inference(seed_graph: Graph) -> Inference:
    return infer_policy(seed_graph)


@pytest.fixture(scope="session")
def seed_full_closure(seed_graph: Graph) -> Graph:
    return full_closure([seed_graph])
