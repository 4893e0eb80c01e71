"""A second engine for the catalog tests: the seed's graphs built independently of
``explorer.pipeline``/``explorer.reason`` (owlrl's full closure) on plain rdflib, so every catalog
query is also checked on rdflib ``initBindings`` and against owlrl's own entailments.

``seed_graphs`` gives the seed's asserted graph, the vocabulary graph and the owlrl OWL RL
closure of their union minus both (the inferred triples), keyed by named-graph IRI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import owlrl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from explorer.ingest import parse_policy_file
from explorer.model import (
    VOCABULARY_GRAPH,
    facts_to_graph,
    graph_iri,
    inferred_graph_iri,
    load_vocabulary_graph,
    policy_iri_of,
)
from explorer.model.iris import index_graph_iri
from explorer.model.span_index import span_index


def seed_graphs(seed: Path) -> dict[str, Graph]:
    """Asserted, vocabulary and inferred graphs of one policy document."""
    facts = parse_policy_file(seed)
    asserted = facts_to_graph(facts)
    vocabulary = load_vocabulary_graph()
    union = Graph()
    union += asserted
    union += vocabulary
    closure = Graph()
    closure += union
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    inferred = Graph()
    for s, p, o in closure:
        if (s, p, o) not in union and not isinstance(s, Literal):  # owlrl's literal-subject triples are not RDF
            inferred.add((s, p, o))
    policy = policy_iri_of(facts)
    return {
        str(graph_iri(policy)): asserted,
        str(VOCABULARY_GRAPH): vocabulary,
        str(inferred_graph_iri(policy)): inferred,
        str(index_graph_iri(policy)): span_index(asserted),   # the index the catalog reads spans from
    }


class RdflibStore:
    """``query(sparql, bindings, graphs)`` on an rdflib Dataset whose default graph is the union."""

    def __init__(self, graphs: Mapping[str, Graph]) -> None:
        self.dataset = Dataset(default_union=True)
        for iri, graph in graphs.items():
            target = self.dataset.graph(URIRef(iri))
            for triple in graph:
                target.add(triple)

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, graphs: Sequence[str] | None = None
    ) -> Result:
        return self.dataset.query(sparql, initBindings=dict(bindings or {}))


class ValuesBlockStore:
    """Binds like the ``sparql:`` store does for Virtuoso and other servers: a VALUES block written
    into the query text (``explorer.sparql.values.inject_bindings``), then no bindings at all."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, graphs: Sequence[str] | None = None
    ) -> Result:
        from explorer.sparql.values import inject_bindings

        return self.inner.query(inject_bindings(sparql, bindings), graphs=graphs)
