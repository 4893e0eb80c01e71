"""Convert RDF terms between rdflib and pyoxigraph.

Conversion is strict: a term pyoxigraph cannot represent (a Variable, an invalid IRI or
language tag) raises :class:`~explorer.errors.StoreError`, so callers can convert a whole graph
before touching a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.graph import Graph
from rdflib.term import Node

from explorer.errors import StoreError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


class BlankNodeMap:
    """Maps rdflib blank nodes to fresh pyoxigraph blank nodes, consistently within one scope."""

    def __init__(self) -> None:
        self._nodes: dict[BNode, ox.BlankNode] = {}

    def get(self, node: BNode) -> ox.BlankNode:
        if node not in self._nodes:
            self._nodes[node] = ox.BlankNode()
        return self._nodes[node]


def to_ox(term: Node, bnodes: BlankNodeMap | None = None) -> OxTerm:
    """The pyoxigraph term for an rdflib term; raises StoreError if it has none."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return bnodes.get(term) if bnodes is not None else ox.BlankNode(_bnode_id(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and str(term.datatype) != XSD_STRING:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise StoreError(f"cannot store RDF term {term!r}: {exc}") from exc
    raise StoreError(f"cannot store RDF term {term!r}: not an IRI, blank node or literal")


def _bnode_id(node: BNode) -> str:
    """A blank node id pyoxigraph accepts (used for query bindings, where identity matters)."""
    text = str(node)
    return text if text.replace("_", "").replace("-", "").isalnum() else "b" + text.encode().hex()


def from_ox(term: OxTerm | ox.Triple) -> Node:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"unsupported term from the store: {term!r}")


def graph_name(graph_iri: str) -> ox.NamedNode:
    """The pyoxigraph name of the named graph ``graph_iri``; StoreError if it is not an IRI."""
    name = to_ox(URIRef(graph_iri))
    if not isinstance(name, ox.NamedNode):
        raise StoreError(f"invalid graph IRI {graph_iri!r}")
    return name


def graph_to_quads(graph: Graph, graph_iri: str) -> list[ox.Quad]:
    """Every triple of ``graph`` as a quad in the named graph ``graph_iri``; all or StoreError."""
    name = graph_name(graph_iri)
    bnodes = BlankNodeMap()
    converted: dict[Node, OxTerm] = {}  # a policy repeats its subjects and predicates: convert each once

    def term(node: Node) -> OxTerm:
        found = converted.get(node)
        if found is None:
            found = converted[node] = to_ox(node, bnodes)
        return found

    quads = []
    for s, p, o in graph:
        subject, predicate, obj = term(s), term(p), term(o)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise StoreError(f"cannot store triple ({s!r} {p!r} {o!r}): bad subject or predicate")
        quads.append(ox.Quad(subject, predicate, obj, name))
    return quads


def ntriples_bodies(triples: Iterable[tuple[Node, Node, Node]], written: dict[Node, str]) -> list[str] | None:
    """Each triple as ``"<s> <p> o"``, the body of an N-Triples or N-Quads line; each term written by
    pyoxigraph itself (``str`` of :func:`to_ox`: checked and escaped as for a store write), once per
    term in ``written`` (shared by a policy's graphs). ``None`` when a triple holds a blank node: a
    loader renames blank nodes per document, so such graphs take :func:`graph_to_quads`.
    Raises StoreError as :func:`graph_to_quads` does.

    The bulk writer's path: 0.4x the time of quads and ``pyoxigraph.serialize`` for a policy."""
    bodies = []
    for s, p, o in triples:
        subject, predicate, obj = written.get(s), written.get(p), written.get(o)
        # a term written before as an object may be a literal: only an IRI passes as subject or predicate
        if subject is None or subject[0] != "<":
            if not isinstance(s, URIRef):
                if isinstance(s, BNode):
                    return None
                raise StoreError(f"cannot store triple ({s!r} {p!r} {o!r}): bad subject or predicate")
            subject = written[s] = str(to_ox(s))
        if predicate is None or predicate[0] != "<":
            if not isinstance(p, URIRef):
                raise StoreError(f"cannot store triple ({s!r} {p!r} {o!r}): bad subject or predicate")
            predicate = written[p] = str(to_ox(p))
        if obj is None:
            if isinstance(o, BNode):
                return None
            obj = written[o] = str(to_ox(o))
        bodies.append(f"{subject} {predicate} {obj}")
    return bodies


def triples_to_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """An rdflib Graph holding the given pyoxigraph triples (or quads, graph name dropped)."""
    graph = Graph()
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return graph


def ntriples_lines(quads: Iterable[ox.Quad]) -> Iterator[str]:
    """Each quad's triple in N-Triples syntax (valid inside SPARQL ``INSERT DATA``)."""
    for q in quads:
        yield f"{q.subject} {q.predicate} {q.object} ."
