"""Reason one policy graph against the vocabulary closure: its new instance-level triples and
any inconsistency, without touching a store.

The fast path compiles the closure's axioms once (``tbox.py``) and chains the OWL 2 RL instance
rules over the policy alone (``chain.py``), so the cost grows with the policy, not the corpus.
When the vocabulary or the policy needs rules the fast path does not implement (equality,
cardinality, keys, property chains; a functional property with two values; schema triples in a
policy graph), the policy is reasoned with owlrl over closure + policy instead; both give the same
entailments, which ``tests/reason`` checks against owlrl's naive full closure on the seed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph
from rdflib.term import Node

from explorer.model.triple_store import plain_graph, triples_of
from explorer.reason.chain import chain
from explorer.reason.closure import _default_closure, owlrl_expand
from explorer.reason.consistency import disjointness_violations, functional_conflicts
from explorer.reason.entailment_filter import META_NAMESPACES, instance_triples, is_instance_triple
from explorer.reason.index import Triple, TripleIndex
from explorer.reason.tbox import TBox, compile_tbox


@dataclass(frozen=True)
class Inference:
    """What reasoning adds to one policy.

    ``graph`` holds only the new instance-level triples (see ``entailment_filter``): none of the
    policy's asserted triples and none of the vocabulary closure. ``inconsistencies`` are readable
    messages (e.g. a disease mention in two disjoint classes); empty when consistent. ``engine``
    says which path produced the result: ``"rules"`` (fast path) or ``"owlrl"``.
    """

    graph: Graph
    inconsistencies: tuple[str, ...]
    engine: str = "rules"

    @property
    def consistent(self) -> bool:
        return not self.inconsistencies


@cache
def _default_tbox() -> TBox:
    return compile_tbox(_default_closure())


@cache
def _default_index() -> TripleIndex:
    return TripleIndex(_default_closure())


def _closure_index(closure: Graph) -> TripleIndex:
    """The closure's triples as a ``TripleIndex`` (built once for the process-wide closure)."""
    return _default_index() if closure is _default_closure() else TripleIndex(closure)


_SCHEMA_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.sameAs,
        OWL.disjointWith,
        OWL.onProperty,
    }
)


_OWL_NAMESPACE = str(OWL)
_TYPE_ONLY = frozenset({RDF.type})  # `p in _TYPE_ONLY`: a hash check, cheaper than URIRef.__eq__


def _has_schema_triples(policy_triples: Iterable[Triple]) -> bool:
    """True when a policy graph itself states axioms (then only owlrl reasons it faithfully)."""
    predicates: set[Node] = set()
    for _, p, o in policy_triples:
        if p in _TYPE_ONLY and str(o).startswith(META_NAMESPACES):
            return True
        predicates.add(p)
    return any(p in _SCHEMA_PREDICATES or str(p).startswith(_OWL_NAMESPACE) for p in predicates)


def infer_policy(policy_graph: Graph, closure: Graph | None = None) -> Inference:
    """OWL 2 RL entailments of one policy's asserted graph against the vocabulary closure.

    ``closure`` defaults to the process-wide ``vocabulary_closure()``; pass one to reason against
    another vocabulary. The input graphs are not modified.
    """
    if closure is None:
        closure, tbox, index = _default_closure(), _default_tbox(), _default_index()
    else:
        tbox, index = compile_tbox(closure), TripleIndex(closure)
    asserted = set(triples_of(policy_graph))
    if not tbox.unsupported and not _has_schema_triples(asserted):
        reasoned, derived = chain(asserted, tbox, index)  # derived: in neither policy nor closure
        if not functional_conflicts(reasoned, tbox):
            return Inference(
                graph=_graph([t for t in derived if is_instance_triple(t)], policy_graph),
                inconsistencies=disjointness_violations(reasoned, tbox, index),
            )
    return _infer_with_owlrl(policy_graph, closure, tbox, index)


def _infer_with_owlrl(policy_graph: Graph, closure: Graph, tbox: TBox, index: TripleIndex | None = None) -> Inference:
    """owlrl over closure + policy; ``index`` is the closure's ``TripleIndex`` when already built."""
    work = Graph()
    work += closure
    work += policy_graph
    owlrl_expand(work)
    if index is None:
        index = _closure_index(closure)
    asserted = set(policy_graph)
    triples = instance_triples(work, asserted, index.triples)
    messages = set(disjointness_violations([*asserted, *triples], tbox, index))
    messages |= set(functional_conflicts([*asserted, *triples], tbox))
    return Inference(graph=_graph(triples, policy_graph), inconsistencies=tuple(sorted(messages)), engine="owlrl")


def _graph(triples: Iterable[Triple], like: Graph) -> Graph:
    """A new rdflib graph of ``triples`` with the namespace bindings of ``like``, on the context-free
    store the model builds with (explorer/model/triple_store.py)."""
    graph = plain_graph()
    for triple in triples:
        graph.add(triple)
    for prefix, ns in like.namespaces():
        graph.bind(prefix, ns, override=False)
    return graph
