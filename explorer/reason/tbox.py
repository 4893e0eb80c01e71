"""The ontology's OWL 2 RL axioms, compiled from the vocabulary closure into lookup tables.

The closure is already closed under the schema rules (scm-*), so ``rdfs:subClassOf`` and
``rdfs:subPropertyOf`` are transitive there and equivalences appear as subclass pairs both ways;
what remains for a policy are the instance rules of OWL 2 RL, which ``chain.py`` applies with
these tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

# Axioms whose instance rules the fast path does not implement (equality, cardinality, keys,
# chains, negative axioms); with any of them in the vocabulary (or a non-reflexive owl:sameAs)
# every policy is reasoned with owlrl itself (see ``infer.py``).
UNSUPPORTED_PREDICATES: tuple[URIRef, ...] = (
    OWL.propertyChainAxiom,
    OWL.hasKey,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.complementOf,
    OWL.propertyDisjointWith,
    OWL.differentFrom,
)
UNSUPPORTED_TYPES: tuple[URIRef, ...] = (
    OWL.AllDifferent,
    OWL.AllDisjointProperties,
    OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty,
    OWL.NegativePropertyAssertion,
)


@dataclass(frozen=True)
class TBox:
    """Rule tables: each maps a class or property to what an instance of it entails."""

    superclasses: dict[Node, frozenset[Node]]
    superproperties: dict[Node, frozenset[Node]]
    domains: dict[Node, frozenset[Node]]
    ranges: dict[Node, frozenset[Node]]
    inverses: dict[Node, frozenset[Node]]
    symmetric: frozenset[Node]
    transitive: frozenset[Node]
    functional: frozenset[Node]
    inverse_functional: frozenset[Node]
    has_value: dict[Node, tuple[tuple[Node, Node], ...]]  # restriction -> ((property, value),)
    has_value_by_property: dict[tuple[Node, Node], frozenset[Node]]  # (property, value) -> restrictions
    intersections: dict[Node, tuple[Node, ...]]  # class -> its members
    intersections_with: dict[Node, frozenset[Node]]  # member -> intersection classes
    unions_with: dict[Node, frozenset[Node]]  # member -> union classes
    some_values: dict[Node, tuple[tuple[Node, Node], ...]]  # property -> ((restriction, filler),)
    all_values: dict[Node, tuple[tuple[Node, Node], ...]]  # property -> ((restriction, filler),)
    some_values_by_filler: dict[Node, tuple[tuple[Node, Node], ...]]  # filler -> ((property, restriction),)
    all_values_by_restriction: dict[Node, tuple[tuple[Node, Node], ...]]  # restriction -> ((property, filler),)
    disjoint: dict[Node, frozenset[Node]]
    labels: dict[Node, str]
    unsupported: tuple[str, ...]


K = TypeVar("K")


def _frozen(table: dict[K, set[Node]]) -> dict[K, frozenset[Node]]:
    return {key: frozenset(values) for key, values in table.items()}


def _pairs(closure: Graph, predicate: URIRef) -> dict[Node, set[Node]]:
    table: dict[Node, set[Node]] = defaultdict(set)
    for s, o in closure.subject_objects(predicate):
        if s != o:
            table[s].add(o)
    return table


def _english_labels(closure: Graph) -> dict[Node, str]:
    return {s: str(o) for s, o in closure.subject_objects(RDFS.label) if getattr(o, "language", None) in (None, "en")}


def _restrictions(closure: Graph, predicate: URIRef) -> list[tuple[Node, Node, Node]]:
    """``(restriction, property, filler)`` for every restriction using ``predicate``."""
    return [
        (r, prop, filler)
        for r, filler in closure.subject_objects(predicate)
        for prop in closure.objects(r, OWL.onProperty)
    ]


def compile_tbox(closure: Graph) -> TBox:
    """Read the rule tables off an OWL 2 RL closure of the ontology and vocabularies."""
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for p, q in closure.subject_objects(OWL.inverseOf):
        inverses[p].add(q)
        inverses[q].add(p)
    has_value: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    hv_by_property: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for r, prop, value in _restrictions(closure, OWL.hasValue):
        has_value[r].append((prop, value))
        hv_by_property[(prop, value)].add(r)
    intersections: dict[Node, tuple[Node, ...]] = {}
    intersections_with: dict[Node, set[Node]] = defaultdict(set)
    for c, head in closure.subject_objects(OWL.intersectionOf):
        members = tuple(Collection(closure, head))
        intersections[c] = members
        for m in members:
            intersections_with[m].add(c)
    unions_with: dict[Node, set[Node]] = defaultdict(set)
    for c, head in closure.subject_objects(OWL.unionOf):
        for m in Collection(closure, head):
            unions_with[m].add(c)
    some_values: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    some_by_filler: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for r, prop, filler in _restrictions(closure, OWL.someValuesFrom):
        some_values[prop].append((r, filler))
        some_by_filler[filler].append((prop, r))
    all_values: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    all_by_restriction: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for r, prop, filler in _restrictions(closure, OWL.allValuesFrom):
        all_values[prop].append((r, filler))
        all_by_restriction[r].append((prop, filler))
    disjoint: dict[Node, set[Node]] = defaultdict(set)
    for a, b in closure.subject_objects(OWL.disjointWith):
        disjoint[a].add(b)
        disjoint[b].add(a)
    for group in closure.subjects(RDF.type, OWL.AllDisjointClasses):
        for head in closure.objects(group, OWL.members):
            group_members = list(Collection(closure, head))
            for a in group_members:
                disjoint[a].update(m for m in group_members if m != a)
    unsupported = sorted(
        {str(p) for p in UNSUPPORTED_PREDICATES if (None, p, None) in closure}
        | {str(OWL.sameAs) for s, o in closure.subject_objects(OWL.sameAs) if s != o}
        | {str(t) for t in UNSUPPORTED_TYPES if (None, RDF.type, t) in closure}
    )
    return TBox(
        superclasses=_frozen(_pairs(closure, RDFS.subClassOf)),
        superproperties=_frozen(_pairs(closure, RDFS.subPropertyOf)),
        domains=_frozen(_pairs(closure, RDFS.domain)),
        ranges=_frozen(_pairs(closure, RDFS.range)),
        inverses=_frozen(inverses),
        symmetric=frozenset(closure.subjects(RDF.type, OWL.SymmetricProperty)),
        transitive=frozenset(closure.subjects(RDF.type, OWL.TransitiveProperty)),
        functional=frozenset(closure.subjects(RDF.type, OWL.FunctionalProperty)),
        inverse_functional=frozenset(closure.subjects(RDF.type, OWL.InverseFunctionalProperty)),
        has_value={r: tuple(v) for r, v in has_value.items()},
        has_value_by_property=_frozen(hv_by_property),
        intersections=intersections,
        intersections_with=_frozen(intersections_with),
        unions_with=_frozen(unions_with),
        some_values={p: tuple(v) for p, v in some_values.items()},
        all_values={p: tuple(v) for p, v in all_values.items()},
        some_values_by_filler={c: tuple(v) for c, v in some_by_filler.items()},
        all_values_by_restriction={r: tuple(v) for r, v in all_by_restriction.items()},
        disjoint=_frozen(disjoint),
        labels={
            s: str(o) for s, o in closure.subject_objects(RDFS.label) if getattr(o, "language", None) in (None, "en")
        },
        unsupported=tuple(unsupported),
    )
