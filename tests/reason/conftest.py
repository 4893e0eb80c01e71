"""The seed policy's asserted graph, its inference, and owlrl's naive reference closure."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from explorer.reason import Inference, full_closure, infer_policy, vocabulary_closure


@pytest.fixture(scope="session")
def closure() -> Graph:
    return vocabulary_closure()


@pytest.fixture(scope="session")
def seed_inference(seed_graph: Graph) -> Inference:
    return infer_policy(seed_graph)


@pytest.fixture(scope="session")
def seed_full_closure(seed_graph: Graph) -> Graph:
    return full_closure([seed_graph])


def seed_node(graph: Graph, tail: str) -> URIRef:
    """A seed IRI by its old positional name: ``statement/1/disease/x`` -> the IRI of the statement
    numbered 1 (IRIs are content keys since issue 16 item 6) + ``/disease/x``."""
    import re

    from explorer.model import POL

    policy = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    m = re.match(r"(statement|reference)/(\d+)(.*)$", tail)
    if m is None:
        return URIRef(f"{policy}/{tail}")
    prop = POL.statementNumber if m[1] == "statement" else POL.referenceNumber
    node = next(s for s, n in graph.subject_objects(prop) if int(n) == int(m[2]))
    return URIRef(f"{node}{m[3]}")
