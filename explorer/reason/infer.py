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

from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph

from explorer.reason.chain import chain
from explorer.reason.closure import _default_closure, owlrl_expand
from explorer.reason.consistency import disjointness_violations, functional_conflicts
from explorer.reason.entailment_filter import META_NAMESPACES, instance_entailments
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


def _has_schema_triples(policy_graph: Graph) -> bool:
    """True when a policy graph itself states axioms (then only owlrl reasons it faithfully)."""
    for _, p, o in policy_graph:
        if p in _SCHEMA_PREDICATES or str(p).startswith(str(OWL)):
            return True
        if p == RDF.type and str(o).startswith(META_NAMESPACES):
            return True
    return False


def infer_policy(policy_graph: Graph, closure: Graph | None = None) -> Inference:
    """OWL 2 RL entailments of one policy's asserted graph against the vocabulary closure.

    ``closure`` defaults to the process-wide ``vocabulary_closure()``; pass one to reason against
    another vocabulary. The input graphs are not modified.
    """
    if closure is None:
        closure, tbox = _default_closure(), _default_tbox()
    else:
        tbox = compile_tbox(closure)
    if not tbox.unsupported and not _has_schema_triples(policy_graph):
        reasoned = chain(policy_graph, tbox, closure)
        if not functional_conflicts(reasoned, tbox):
            return Inference(
                graph=_bound(instance_entailments(reasoned, policy_graph, closure), policy_graph),
                inconsistencies=disjointness_violations(reasoned, tbox, closure),
            )
    return _infer_with_owlrl(policy_graph, closure, tbox)


def _infer_with_owlrl(policy_graph: Graph, closure: Graph, tbox: TBox) -> Inference:
    work = Graph()
    work += closure
    work += policy_graph
    owlrl_expand(work)
    graph = instance_entailments(work, policy_graph, closure)
    both = Graph()
    both += policy_graph
    both += graph
    messages = set(disjointness_violations(both, tbox, closure)) | set(functional_conflicts(both, tbox))
    return Inference(graph=_bound(graph, policy_graph), inconsistencies=tuple(sorted(messages)), engine="owlrl")


def _bound(graph: Graph, like: Graph) -> Graph:
    for prefix, ns in like.namespaces():
        graph.bind(prefix, ns, override=False)
    return graph
