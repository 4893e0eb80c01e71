"""PolicyFacts <-> RDF under the Policy Explorer ontology; IRIs; the vocabulary graph."""

from explorer.model.from_rdf import graph_to_facts, policies_in
from explorer.model.iris import (
    INFERRED_VOCABULARY_GRAPH,
    PREFIXES,
    VOCABULARY_GRAPH,
    graph_iri,
    inferred_graph_iri,
    policy_iri,
    policy_of_graph,
)
from explorer.model.namespace import POL
from explorer.model.to_rdf import facts_to_graph, policy_iri_of, statement_iris
from explorer.model.vocabulary import load_alignments_graph, load_imports_graph, load_vocabulary_graph

__all__ = [
    "INFERRED_VOCABULARY_GRAPH",
    "POL",
    "PREFIXES",
    "VOCABULARY_GRAPH",
    "facts_to_graph",
    "graph_iri",
    "graph_to_facts",
    "inferred_graph_iri",
    "load_alignments_graph",
    "load_imports_graph",
    "load_vocabulary_graph",
    "policies_in",
    "policy_iri",
    "policy_iri_of",
    "policy_of_graph",
    "statement_iris",
]
