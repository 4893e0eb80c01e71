"""Forward chaining of OWL 2 RL instance rules over one policy graph against a compiled T-box.

Semi-naive: every asserted triple of the policy starts on the agenda; each triple taken from the
agenda fires the rules it can be a premise of, joining with what is known so far (the policy, the
triples derived from it, and the vocabulary closure). The vocabulary closure is already closed,
so every new entailment has at least one policy-side premise and is found this way. Rules:
cax-sco (and cax-eqc via the closure's subclass pairs), prp-dom, prp-rng, prp-spo1, prp-inv1/2,
prp-symp, prp-trp, cls-hv1/2, cls-int1/2, cls-uni, cls-svf1/2, cls-avf.
"""

from __future__ import annotations

from rdflib import OWL, RDF, Graph, Literal
from rdflib.term import Node

from explorer.reason.tbox import TBox

Triple = tuple[Node, Node, Node]


class _Chainer:
    def __init__(self, tbox: TBox, closure: Graph) -> None:
        self.t = tbox
        self.closure = closure
        self.known = Graph()
        self.agenda: list[Triple] = []

    def has(self, triple: Triple) -> bool:
        return triple in self.known or triple in self.closure

    def objects(self, s: Node, p: Node) -> set[Node]:
        return set(self.known.objects(s, p)) | set(self.closure.objects(s, p))

    def subjects(self, p: Node, o: Node) -> set[Node]:
        return set(self.known.subjects(p, o)) | set(self.closure.subjects(p, o))

    def add(self, triple: Triple) -> None:
        if not self.has(triple):
            self.known.add(triple)
            self.agenda.append(triple)

    def has_type(self, x: Node, c: Node) -> bool:
        return c == OWL.Thing or self.has((x, RDF.type, c))

    def run(self, asserted: Graph) -> Graph:
        for triple in asserted:
            self.known.add(triple)
        self.agenda = list(asserted)
        while self.agenda:
            s, p, o = self.agenda.pop()
            if p == RDF.type:
                self.fire_type(s, o)
            else:
                self.fire_property(s, p, o)
        return self.known

    def fire_type(self, x: Node, c: Node) -> None:
        t = self.t
        for d in t.superclasses.get(c, ()):
            self.add((x, RDF.type, d))
        for m in t.intersections.get(c, ()):
            self.add((x, RDF.type, m))
        for i in t.intersections_with.get(c, ()):
            if all(self.has_type(x, m) for m in t.intersections[i]):
                self.add((x, RDF.type, i))
        for u in t.unions_with.get(c, ()):
            self.add((x, RDF.type, u))
        for prop, value in t.has_value.get(c, ()):
            self.add((x, prop, value))
        for prop, pairs in t.all_values.items():
            for r, filler in pairs:
                if r == c:
                    for y in self.objects(x, prop):
                        if not isinstance(y, Literal):
                            self.add((y, RDF.type, filler))
        for prop, pairs in t.some_values.items():
            for r, filler in pairs:
                if filler == c:
                    for w in self.subjects(prop, x):
                        self.add((w, RDF.type, r))

    def fire_property(self, s: Node, p: Node, o: Node) -> None:
        t = self.t
        literal = isinstance(o, Literal)
        for q in t.superproperties.get(p, ()):
            self.add((s, q, o))
        for c in t.domains.get(p, ()):
            self.add((s, RDF.type, c))
        for r in t.has_value_by_property.get((p, o), ()):
            self.add((s, RDF.type, r))
        if literal:
            return  # prp-rng, inverses and symmetry would put a literal in subject position
        for c in t.ranges.get(p, ()):
            self.add((o, RDF.type, c))
        for q in t.inverses.get(p, ()):
            self.add((o, q, s))
        if p in t.symmetric:
            self.add((o, p, s))
        if p in t.transitive:
            for z in self.objects(o, p):
                self.add((s, p, z))
            for w in self.subjects(p, s):
                self.add((w, p, o))
        for r, filler in t.some_values.get(p, ()):
            if self.has_type(o, filler):
                self.add((s, RDF.type, r))
        for r, filler in t.all_values.get(p, ()):
            if self.has_type(s, r):
                self.add((o, RDF.type, filler))


def chain(asserted: Graph, tbox: TBox, closure: Graph) -> Graph:
    """The asserted triples plus everything the instance rules derive from them (a new graph)."""
    return _Chainer(tbox, closure).run(asserted)
