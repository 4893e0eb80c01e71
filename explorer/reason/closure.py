"""owlrl closures: the vocabulary's (computed once per process) and the naive reference closure."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import owlrl
from rdflib import Graph

from explorer.model import load_vocabulary_graph


def owlrl_expand(graph: Graph) -> list[str]:
    """Expand ``graph`` in place to its OWL 2 RL closure; return owlrl's error messages."""
    closure = owlrl.DeductiveClosure(owlrl.OWLRL_Semantics)
    closure.expand(graph)
    # ``DeductiveClosure`` discards its engine; re-read the messages owlrl writes as triples.
    return owlrl_error_messages(graph)


def owlrl_error_messages(graph: Graph) -> list[str]:
    """The inconsistency messages owlrl wrote into ``graph`` (``err:error`` literals)."""
    from owlrl.Namespaces import ERRNS

    return sorted(str(message) for message in graph.objects(None, ERRNS.error))


@cache
def _default_closure() -> Graph:
    graph = load_vocabulary_graph()
    owlrl_expand(graph)
    return graph


def vocabulary_closure(vocabulary: Graph | None = None) -> Graph:
    """The OWL 2 RL closure of the ontology plus vocabularies (or of ``vocabulary`` when given).

    The default closure is computed once per process; each call returns a fresh copy, so callers
    may add to it without changing what later calls see.
    """
    if vocabulary is None:
        source = _default_closure()
    else:
        source = Graph()
        source += vocabulary
        owlrl_expand(source)
    out = Graph()
    for prefix, ns in source.namespaces():
        out.bind(prefix, ns)
    out += source
    return out


def full_closure(graphs: Iterable[Graph], vocabulary: Graph | None = None) -> Graph:
    """Naive reference: owlrl's OWL 2 RL closure of the vocabulary plus all ``graphs`` at once.

    Superlinear in the corpus size; kept for the equality test and the benchmark.
    """
    graph = load_vocabulary_graph() if vocabulary is None else _copy(vocabulary)
    for g in graphs:
        graph += g
    owlrl_expand(graph)
    return graph


def _copy(graph: Graph) -> Graph:
    out = Graph()
    out += graph
    return out
