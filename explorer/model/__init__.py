"""PolicyFacts <-> RDF under the Policy Explorer ontology; IRIs; the vocabulary graph.

Names are imported on first use: reading ``explorer.model.iris`` (the coverage check) does not
load the RDF readers and writers and the parser behind them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.lazy_names import lazy_getattr

if TYPE_CHECKING:
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

_WHERE = {
    "graph_to_facts": "explorer.model.from_rdf",
    "policies_in": "explorer.model.from_rdf",
    "INFERRED_VOCABULARY_GRAPH": "explorer.model.iris",
    "PREFIXES": "explorer.model.iris",
    "VOCABULARY_GRAPH": "explorer.model.iris",
    "graph_iri": "explorer.model.iris",
    "inferred_graph_iri": "explorer.model.iris",
    "policy_iri": "explorer.model.iris",
    "policy_of_graph": "explorer.model.iris",
    "POL": "explorer.model.namespace",
    "publication_iri": "explorer.model.publications",
    "facts_to_graph": "explorer.model.to_rdf",
    "policy_iri_of": "explorer.model.to_rdf",
    "statement_iris": "explorer.model.to_rdf",
    "revision_links": "explorer.model.version_rdf",
    "version_iri": "explorer.model.version_rdf",
    "coverage_effect": "explorer.model.vocabulary",
    "load_alignments_graph": "explorer.model.vocabulary",
    "load_imports_graph": "explorer.model.vocabulary",
    "load_vocabulary_graph": "explorer.model.vocabulary",
}


__getattr__ = lazy_getattr(__name__, _WHERE, globals())


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
