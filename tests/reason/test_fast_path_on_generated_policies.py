"""The set-based fast path against owlrl's naive closure on policies unlike the seed.

Generated documents (``explorer.bench.corpus``) vary statuses, diseases, products, codes and
references, so they reach rule combinations the seed does not; two of them are reasoned together
by owlrl, each alone by ``infer_policy``, and the instance entailments must match exactly.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from explorer.bench.corpus import generate_corpus
from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph
from explorer.reason import full_closure, infer_policy, instance_entailments
from explorer.reason.index import TripleIndex


def test_generated_policies_equal_owlrl_full_closure(tmp_path: Path, closure: Graph) -> None:
    corpus = generate_corpus(tmp_path, 2, seed=11)
    graphs = [facts_to_graph(parse_policy_file(p.path)) for p in corpus.policies]
    inferences = [infer_policy(g) for g in graphs]
    assert [i.engine for i in inferences] == ["rules", "rules"]
    asserted = Graph()
    for g in graphs:
        asserted += g
    expected = set(instance_entailments(full_closure(graphs), asserted, closure))
    got = set().union(*(set(i.graph) for i in inferences))
    assert got - expected == set()
    assert expected - got == set()
    assert len(got) > 500


def test_triple_index_lookups(closure: Graph) -> None:
    index = TripleIndex(closure)
    assert len(index) == len(closure)
    s, p, o = next(iter(closure))
    assert (s, p, o) in index
    assert index.objects(s, p) == set(closure.objects(s, p))
    assert index.subjects(p, o) == set(closure.subjects(p, o))
    assert not index.add((s, p, o))
