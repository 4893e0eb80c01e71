"""Validate one policy graph against the SHACL shapes, with the vocabulary mixed in.

Statuses, care settings and code-system patterns are typed in the vocabulary graph, not in a
policy's graph, so the shapes (``sh:class``, the code-pattern SPARQL constraint) need it.
pySHACL's ``ont_graph`` copies only RDFS/OWL axioms, not SKOS instances, and RDFS inference
would make ``sh:class`` vacuous via ``rdfs:range``; so the data graph validated is a copy of the
policy graph plus the vocabulary, with ``inference="none"``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pyshacl
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from explorer.model.vocabulary import load_vocabulary_graph
from explorer.validate.report import ValidationResult, report_text, violations_of
from explorer.validate.shapes import load_shapes


@cache
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct query text once.

    pySHACL runs a SPARQL constraint's (constant) text once per focus node with ``initBindings``;
    parsing dominates that cost, so reusing the parsed query keeps validation fast.
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@cache
def _default_vocabulary() -> Graph:
    return load_vocabulary_graph()


def validate_graph(graph: Graph, *, vocabulary: Graph | None = None, shapes: Graph | None = None) -> ValidationResult:
    """Validate one policy's graph (triples of its default graph) against ``ontology/shapes.ttl``.

    ``vocabulary`` defaults to the bundled ontology and vocabularies; ``shapes`` to the bundled
    shapes. Neither input graph is modified.

    :raises VocabularyError: the shapes or vocabulary files are missing or malformed.
    """
    data = _PreparedQueryGraph()
    data += graph
    data += vocabulary if vocabulary is not None else _default_vocabulary()
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        inplace=True,
        allow_warnings=True,  # sh:Warning results (a fact not found) are reported but do not break conformance
    )
    violations = violations_of(results)
    return ValidationResult(
        conforms=bool(conforms), violations=violations, text=report_text(bool(conforms), violations)
    )
