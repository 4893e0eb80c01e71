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
from explorer.model.publications import publication_iri
from explorer.model.to_rdf import facts_to_graph, policy_iri_of, statement_iris
from explorer.model.version_rdf import revision_links, version_iri
from explorer.model.vocabulary import (
    coverage_effect,
    load_alignments_graph,
    load_imports_graph,
    load_vocabulary_graph,
)

__all__ = [
    "INFERRED_VOCABULARY_GRAPH",
    "POL",
    "PREFIXES",
    "VOCABULARY_GRAPH",
    "coverage_effect",
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
    "publication_iri",
    "revision_links",
    "statement_iris",
    "version_iri",
]
