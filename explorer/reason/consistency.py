"""Inconsistencies OWL 2 RL can detect in a reasoned policy: members of disjoint classes (cax-dw,
cax-adc), members of owl:Nothing (cls-nothing2), and functional-property conflicts the fast path
hands to owlrl."""

from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, Graph, URIRef
from rdflib.term import Node

from explorer.model.iris import local_name
from explorer.reason.tbox import TBox


def _article(label: str) -> str:
    return f"an {label}" if label[:1].lower() in "aeiou" else f"a {label}"


def _name(tbox: TBox, cls: Node) -> str:
    return _article(tbox.labels.get(cls) or local_name(str(cls)))


def disjointness_violations(reasoned: Graph, tbox: TBox, closure: Graph) -> tuple[str, ...]:
    """Readable messages, one per node and pair of disjoint classes it belongs to (sorted)."""
    types: dict[Node, set[Node]] = defaultdict(set)
    for s, c in reasoned.subject_objects(RDF.type):
        if isinstance(s, URIRef):
            types[s].add(c)
    messages: set[str] = set()
    for node, classes in types.items():
        classes = classes | set(closure.objects(node, RDF.type))
        if OWL.Nothing in classes:
            messages.add(f"<{node}> is a member of owl:Nothing (unsatisfiable)")
        for a in classes:
            for b in tbox.disjoint.get(a, ()):
                if b in classes and str(a) < str(b):
                    messages.add(f"<{node}> is both {_name(tbox, a)} and {_name(tbox, b)} (disjoint classes)")
    return tuple(sorted(messages))


def functional_conflicts(reasoned: Graph, tbox: TBox) -> tuple[str, ...]:
    """Subjects with two values of a functional property (or objects sharing an inverse-functional
    one); OWL RL then equates the values (owl:sameAs), which the fast path does not implement."""
    out = []
    for prop in tbox.functional:
        for s in set(reasoned.subjects(prop, None)):
            if len(set(reasoned.objects(s, prop))) > 1:
                out.append(f"<{s}> has more than one value of functional property <{prop}>")
    for prop in tbox.inverse_functional:
        for o in set(reasoned.objects(None, prop)):
            if len(set(reasoned.subjects(prop, o))) > 1:
                out.append(f"<{o}> is the value of inverse-functional property <{prop}> of several subjects")
    return tuple(sorted(out))
