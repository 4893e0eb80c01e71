"""The ontology as rows to show: the class tree (depth-first) and the properties, from the
vocabulary graph (rdflib API, no SPARQL), with instance counts from the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

PROJECT = "https://w3id.org/policy-explorer/"


@dataclass(frozen=True)
class ClassRow:
    iri: str
    label: str
    comment: str
    depth: int
    parents: tuple[str, ...]
    instances: int


@dataclass(frozen=True)
class PropertyRow:
    iri: str
    kind: str
    label: str
    comment: str
    domain: str
    range: str


def _label(g: Graph, node: URIRef) -> str:
    for p in (RDFS.label, SKOS.prefLabel):
        value = g.value(node, p)
        if value is not None:
            return str(value)
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _comment(g: Graph, node: URIRef) -> str:
    for p in (RDFS.comment, SKOS.definition):
        value = g.value(node, p)
        if value is not None:
            return str(value)
    return ""


def class_tree(g: Graph, counts: Mapping[str, int]) -> list[ClassRow]:
    """The project's classes depth-first under their superclasses (a class with several parents
    appears under each)."""
    classes: set[URIRef] = {
        c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(PROJECT)
    }
    parents: dict[URIRef, list[URIRef]] = {
        c: sorted(p for p in g.objects(c, RDFS.subClassOf) if isinstance(p, URIRef) and p in classes)
        for c in classes
    }
    children: dict[URIRef, list[URIRef]] = {c: [] for c in classes}
    for c, ps in parents.items():
        for p in ps:
            children[p].append(c)
    rows: list[ClassRow] = []

    def walk(c: URIRef, depth: int, seen: frozenset[URIRef]) -> None:
        rows.append(ClassRow(str(c), _label(g, c), _comment(g, c), depth, tuple(str(p) for p in parents[c]),
                             counts.get(str(c), 0)))
        for child in sorted(children[c], key=lambda x: _label(g, x).lower()):
            if child not in seen:
                walk(child, depth + 1, seen | {child})

    for root in sorted((c for c in classes if not parents[c]), key=lambda x: _label(g, x).lower()):
        walk(root, 0, frozenset({root}))
    return rows


def properties(g: Graph) -> list[PropertyRow]:
    """The project's object, datatype and annotation properties."""
    out = []
    for kind, cls in (("object", OWL.ObjectProperty), ("datatype", OWL.DatatypeProperty),
                      ("annotation", OWL.AnnotationProperty)):
        for p in sorted(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef) and str(s).startswith(PROJECT)):
            domain = ", ".join(sorted(_label(g, d) for d in g.objects(p, RDFS.domain) if isinstance(d, URIRef)))
            rng = ", ".join(sorted(_label(g, r) for r in g.objects(p, RDFS.range) if isinstance(r, URIRef)))
            out.append(PropertyRow(str(p), kind, _label(g, p), _comment(g, p), domain, rng))
    return out
