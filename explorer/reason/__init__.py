"""OWL 2 RL reasoning: the vocabulary closed once, then each policy against that closure.

Inferred triples are returned as their own graph (for the policy's inferred named graph), never
mixed into the asserted one. ``full_closure`` is owlrl's naive whole-corpus closure, the reference
the fast path is tested against.
"""

from explorer.reason.closure import full_closure, vocabulary_closure
from explorer.reason.entailment_filter import instance_entailments, is_instance_triple
from explorer.reason.infer import Inference, infer_policy

__all__ = [
    "Inference",
    "full_closure",
    "infer_policy",
    "instance_entailments",
    "is_instance_triple",
    "vocabulary_closure",
]
