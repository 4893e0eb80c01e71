"""Which entailed triples count as instance-level (kept in a policy's inferred graph).

OWL RL closures are noisy: owlrl adds ``x owl:sameAs x``, ``x rdf:type owl:Thing`` and
``rdfs:Resource`` for every node, datatype triples about literals (``"3" rdf:type xsd:integer``),
types to the anonymous restriction and intersection classes of the ontology, and schema-level
triples (e.g. disjointness of the datatypes a policy uses). A policy's inferred graph keeps only
what a query over instances can use:

* the subject is an IRI outside the RDF / RDFS / OWL / XSD namespaces (no literals, no blank nodes);
* the object is an IRI or a literal, never a blank node (drops types to anonymous classes);
* for ``rdf:type``, the class is outside those namespaces (drops ``owl:Thing``, ``rdfs:Resource``,
  ``owl:Class``, ``rdfs:Datatype``, ...): disease-taxonomy types, statement subclasses defined by
  their status, domain / range types and schema.org / PROV / BIBO / FaBiO superclasses stay;
* any other predicate is outside the RDF / RDFS / OWL namespaces (drops ``owl:sameAs``,
  ``owl:disjointWith``, ``rdfs:subClassOf``, ...): inverse and super-property triples stay.

The equality test against owlrl's full closure applies this same predicate to both sides.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

META_NAMESPACES: tuple[str, ...] = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TYPE_ONLY = frozenset({RDF.type})  # `p in _TYPE_ONLY`: a hash check, cheaper than URIRef.__eq__

Triple = tuple[Node, Node, Node]


def _is_meta(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(META_NAMESPACES)


def is_instance_triple(triple: Triple) -> bool:
    """True when an entailed triple is instance-level by the rules of this module's docstring."""
    s, p, o = triple
    if not isinstance(s, URIRef) or _is_meta(s):
        return False
    if not isinstance(o, (URIRef, Literal)):  # no blank nodes (nor variables, quoted graphs)
        return False
    if p in _TYPE_ONLY:
        return not _is_meta(o)
    return not _is_meta(p)


def instance_triples(triples: Iterable[Triple], *exclude: Container[Triple]) -> list[Triple]:
    """The instance-level triples of ``triples`` that are in none of ``exclude`` (graphs or sets)."""
    return [t for t in triples if not any(t in g for g in exclude) and is_instance_triple(t)]


def instance_entailments(triples: Iterable[Triple], *exclude: Container[Triple]) -> Graph:
    """The instance-level triples of ``triples`` that are in none of the ``exclude`` graphs."""
    out = Graph()
    for triple in instance_triples(triples, *exclude):
        out.add(triple)
    return out
