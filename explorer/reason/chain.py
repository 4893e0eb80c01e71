"""Forward chaining of OWL 2 RL instance rules over one policy graph against a compiled T-box.

Semi-naive: every asserted triple of the policy starts on the agenda; each triple taken from the
agenda fires the rules it can be a premise of, joining with what is known so far (the policy, the
triples derived from it, and the vocabulary closure). The vocabulary closure is already closed,
so every new entailment has at least one policy-side premise and is found this way. Rules:
cax-sco (and cax-eqc via the closure's subclass pairs), prp-dom, prp-rng, prp-spo1, prp-inv1/2,
prp-symp, prp-trp, cls-hv1/2, cls-int1/2, cls-uni, cls-svf1/2, cls-avf.

Everything here works on plain-Python triple sets (``index.py``), not rdflib graphs.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import OWL, RDF, Literal
from rdflib.term import Node

from explorer.reason.index import Triple, TripleIndex
from explorer.reason.tbox import TBox

_TYPE = RDF.type
_TYPE_ONLY = frozenset({_TYPE})  # `p in _TYPE_ONLY`: a hash check, cheaper than URIRef.__eq__
_THING = OWL.Thing
_EMPTY: frozenset[Node] = frozenset()


_RULED: dict[int, tuple[TBox, frozenset[Node]]] = {}


def _ruled_properties(tbox: TBox) -> frozenset[Node]:
    """The properties some rule of ``fire_property`` reads (kept per TBox: one per vocabulary)."""
    kept = _RULED.get(id(tbox))
    if kept is not None and kept[0] is tbox:
        return kept[1]
    ruled = frozenset().union(tbox.superproperties, tbox.domains, tbox.ranges, tbox.inverses, tbox.symmetric,
                              tbox.transitive, tbox.some_values, tbox.all_values,
                              (p for p, _ in tbox.has_value_by_property))
    _RULED[id(tbox)] = (tbox, ruled)
    return ruled


class _Chainer:
    """One run of the rules. ``known`` holds the policy and everything derived so far; the join
    indexes hold only triples already taken from the agenda (each pair of premises meets when the
    later of the two is taken), and only for the properties some rule joins on."""

    def __init__(self, tbox: TBox, closure: TripleIndex, asserted: Iterable[Triple]) -> None:
        self.t = tbox
        self.closure = closure
        self.closure_triples = closure.triples
        self.known: set[Triple] = set(asserted)
        self.agenda: list[Triple] = list(self.known)
        self.derived: list[Triple] = []
        # objects(s, p) is asked for cls-avf and prp-trp, subjects(p, o) for cls-svf2 and prp-trp
        self.sp_properties = frozenset(tbox.all_values) | tbox.transitive
        self.po_properties = frozenset(tbox.some_values) | tbox.transitive
        self.ruled_properties = _ruled_properties(tbox)
        self._sp: dict[tuple[Node, Node], set[Node]] = {}
        self._po: dict[tuple[Node, Node], set[Node]] = {}

    def objects(self, s: Node, p: Node) -> list[Node]:
        return [*self._sp.get((s, p), _EMPTY), *self.closure.objects(s, p)]

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return [*self._po.get((p, o), _EMPTY), *self.closure.subjects(p, o)]

    def add(self, triple: Triple) -> None:
        if triple not in self.known and triple not in self.closure_triples:
            self.known.add(triple)
            self.agenda.append(triple)
            self.derived.append(triple)

    def has_type(self, x: Node, c: Node) -> bool:
        triple = (x, _TYPE, c)
        return c == _THING or triple in self.known or triple in self.closure_triples

    def run(self) -> _Chainer:
        agenda, sp, po = self.agenda, self._sp, self._po
        sp_properties, po_properties, ruled = self.sp_properties, self.po_properties, self.ruled_properties
        while agenda:
            s, p, o = agenda.pop()
            if p in sp_properties:
                sp.setdefault((s, p), set()).add(o)
            if p in po_properties:
                po.setdefault((p, o), set()).add(s)
            if p in _TYPE_ONLY:
                self.fire_type(s, o)
            elif p in ruled:  # most of a policy's triples (texts, offsets, quotes) fire no rule
                self.fire_property(s, p, o)
        return self

    def fire_type(self, x: Node, c: Node) -> None:
        t = self.t
        add = self.add
        for d in t.superclasses.get(c, ()):
            add((x, _TYPE, d))
        for m in t.intersections.get(c, ()):
            add((x, _TYPE, m))
        for i in t.intersections_with.get(c, ()):
            if all(self.has_type(x, m) for m in t.intersections[i]):
                add((x, _TYPE, i))
        for u in t.unions_with.get(c, ()):
            add((x, _TYPE, u))
        for prop, value in t.has_value.get(c, ()):
            add((x, prop, value))
        for prop, filler in t.all_values_by_restriction.get(c, ()):
            for y in self.objects(x, prop):
                if not isinstance(y, Literal):
                    add((y, _TYPE, filler))
        for prop, r in t.some_values_by_filler.get(c, ()):
            for w in self.subjects(prop, x):
                add((w, _TYPE, r))

    def fire_property(self, s: Node, p: Node, o: Node) -> None:
        t = self.t
        add = self.add
        for q in t.superproperties.get(p, ()):
            add((s, q, o))
        for c in t.domains.get(p, ()):
            add((s, _TYPE, c))
        for r in t.has_value_by_property.get((p, o), ()):
            add((s, _TYPE, r))
        if isinstance(o, Literal):
            return  # prp-rng, inverses and symmetry would put a literal in subject position
        for c in t.ranges.get(p, ()):
            add((o, _TYPE, c))
        for q in t.inverses.get(p, ()):
            add((o, q, s))
        if p in t.symmetric:
            add((o, p, s))
        if p in t.transitive:
            for z in self.objects(o, p):
                add((s, p, z))
            for w in self.subjects(p, s):
                add((w, p, o))
        for r, filler in t.some_values.get(p, ()):
            if self.has_type(o, filler):
                add((s, _TYPE, r))
        for r, filler in t.all_values.get(p, ()):
            if self.has_type(s, r):
                add((o, _TYPE, filler))


def chain(asserted: Iterable[Triple], tbox: TBox, closure: TripleIndex) -> tuple[set[Triple], list[Triple]]:
    """Close ``asserted`` under the instance rules: (all triples known, the derived ones alone).

    The derived triples are those in neither ``asserted`` nor ``closure``.
    """
    chainer = _Chainer(tbox, closure, asserted).run()
    return chainer.known, chainer.derived
