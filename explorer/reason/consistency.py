"""Inconsistencies OWL 2 RL can detect in a reasoned policy: members of disjoint classes (cax-dw,
cax-adc), members of owl:Nothing (cls-nothing2), and functional-property conflicts the fast path
hands to owlrl."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import OWL, RDF, URIRef
from rdflib.term import Node

from explorer.model.iris import local_name
from explorer.reason.index import Triple, TripleIndex
from explorer.reason.tbox import TBox

_TYPE = RDF.type
_TYPE_ONLY = frozenset({_TYPE})  # `p in _TYPE_ONLY`: a hash check, cheaper than URIRef.__eq__
_NOTHING = OWL.Nothing


def _article(label: str) -> str:
    return f"an {label}" if label[:1].lower() in "aeiou" else f"a {label}"


def _name(tbox: TBox, cls: Node) -> str:
    return _article(tbox.labels.get(cls) or local_name(str(cls)))


def disjointness_violations(reasoned: Iterable[Triple], tbox: TBox, closure: TripleIndex) -> tuple[str, ...]:
    """Readable messages, one per node and pair of disjoint classes it belongs to (sorted).

    ``reasoned`` is the policy's triples with what was inferred from them (a graph or a set).
    """
    types: dict[Node, set[Node]] = defaultdict(set)
    for s, p, c in reasoned:
        if p in _TYPE_ONLY and isinstance(s, URIRef):
            types[s].add(c)
    messages: set[str] = set()
    for node, classes in types.items():
        classes = classes | closure.objects(node, _TYPE)
        if _NOTHING in classes:
            messages.add(f"<{node}> is a member of owl:Nothing (unsatisfiable)")
        for a in classes:
            for b in tbox.disjoint.get(a, ()):
                if b in classes and str(a) < str(b):
                    messages.add(f"<{node}> is both {_name(tbox, a)} and {_name(tbox, b)} (disjoint classes)")
    return tuple(sorted(messages))


def functional_conflicts(reasoned: Iterable[Triple], tbox: TBox) -> tuple[str, ...]:
    """Subjects with two values of a functional property (or objects sharing an inverse-functional
    one); OWL RL then equates the values (owl:sameAs), which the fast path does not implement."""
    functional, inverse_functional = tbox.functional, tbox.inverse_functional
    values: dict[tuple[Node, Node], set[Node]] = defaultdict(set)  # (subject, property) -> objects
    owners: dict[tuple[Node, Node], set[Node]] = defaultdict(set)  # (object, property) -> subjects
    for s, p, o in reasoned:
        if p in functional:
            values[(s, p)].add(o)
        if p in inverse_functional:
            owners[(o, p)].add(s)
    out = [
        f"<{s}> has more than one value of functional property <{prop}>"
        for (s, prop), objects in values.items()
        if len(objects) > 1
    ]
    out += [
        f"<{o}> is the value of inverse-functional property <{prop}> of several subjects"
        for (o, prop), subjects in owners.items()
        if len(subjects) > 1
    ]
    return tuple(sorted(out))
