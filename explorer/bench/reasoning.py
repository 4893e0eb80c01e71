"""Benchmark: per-policy reasoning (``infer_policy``) against owlrl's naive whole-corpus closure.

The corpus is N copies of the seed policy, each with its IRIs moved from ``/policy/bcbsma/338`` to
``/policy/bcbsma/{n}``. Run ``python -m explorer.bench.reasoning --policies 10 [--check]``.
"""

from __future__ import annotations

import argparse
import gc
import time
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from explorer.ingest import parse_policy_file
from explorer.reason import full_closure, infer_policy, instance_entailments, vocabulary_closure
from explorer.resources import policies_dir

SEED = "bcbsma-338-donor-lymphocyte-infusion.txt"
SEED_PATH = "/policy/bcbsma/338"


@dataclass(frozen=True)
class ReasoningBench:
    policies: int
    vocabulary_seconds: float
    infer_seconds: float
    full_closure_seconds: float | None
    inferred_triples: int
    equal_to_full_closure: bool | None

    @property
    def infer_per_policy(self) -> float:
        return self.infer_seconds / self.policies

    @property
    def full_per_policy(self) -> float | None:
        return None if self.full_closure_seconds is None else self.full_closure_seconds / self.policies


def seed_copies(n: int) -> list[Graph]:
    """N copies of the seed graph, copy k (1-based) renumbered to policy ``337 + k``."""
    from explorer.model import facts_to_graph

    seed = facts_to_graph(parse_policy_file(str(policies_dir() / SEED)))
    copies = []
    for k in range(n):
        target = f"/policy/bcbsma/{338 + k}"
        g = Graph()
        for s, p, o in seed:
            g.add((_move(s, target), p, _move(o, target)))
        copies.append(g)
    return copies


def _move(term: Node, target: str) -> Node:
    if isinstance(term, URIRef) and SEED_PATH in term:
        return URIRef(str(term).replace(SEED_PATH, target))
    return term


def run(n: int, *, full: bool = True, check: bool = False) -> ReasoningBench:
    """Time ``infer_policy`` over N seed copies, and (``full``) owlrl's closure of all of them."""
    start = time.perf_counter()
    closure = vocabulary_closure()
    infer_policy(Graph())  # the rule tables and closure index, compiled once per process like the closure
    vocabulary_seconds = time.perf_counter() - start
    gc.freeze()  # what is loaded once stays out of the collector's walks, as in each ingest worker
    graphs = seed_copies(n)  # (pipeline_bulk._start_worker); the policies are new objects there too
    start = time.perf_counter()
    inferred = [infer_policy(g).graph for g in graphs]
    infer_seconds = time.perf_counter() - start
    full_seconds = equal = None
    if full or check:
        start = time.perf_counter()
        reference = full_closure(graphs)
        full_seconds = time.perf_counter() - start
        if check:
            asserted = Graph()
            for g in graphs:
                asserted += g
            union = Graph()
            for g in inferred:
                union += g
            equal = set(union) == set(instance_entailments(reference, asserted, closure))
    return ReasoningBench(
        policies=n,
        vocabulary_seconds=vocabulary_seconds,
        infer_seconds=infer_seconds,
        full_closure_seconds=full_seconds,
        inferred_triples=sum(len(g) for g in inferred),
        equal_to_full_closure=equal,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=10, help="number of seed copies (default 10)")
    parser.add_argument("--no-full", action="store_true", help="skip owlrl's naive full closure")
    parser.add_argument("--check", action="store_true", help="also compare the entailments with the full closure")
    args = parser.parse_args(argv)
    result = run(args.policies, full=not args.no_full, check=args.check)
    print(f"policies:                 {result.policies}")
    print(f"vocabulary closure, rules: {result.vocabulary_seconds:.2f} s (once per process)")
    print(f"infer_policy:             {result.infer_seconds:.2f} s, {result.infer_per_policy:.3f} s/policy")
    if result.full_closure_seconds is not None:
        print(f"owlrl full closure:       {result.full_closure_seconds:.2f} s, {result.full_per_policy:.3f} s/policy")
    print(f"inferred triples:         {result.inferred_triples}")
    if result.equal_to_full_closure is not None:
        print(f"equal to full closure:    {result.equal_to_full_closure}")


if __name__ == "__main__":
    main()
