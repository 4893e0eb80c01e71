"""The graph builder's shortcuts (a span written once however many facts share it, statement IRIs
computed once) leave every triple as it was: the graph equals one built without them, on every
real document and the seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from explorer.ingest.facts import Span
from explorer.model import facts_to_graph
from explorer.model.iris import OA
from explorer.model.namespace import POL
from explorer.model.to_rdf import _Builder, statement_iris
from explorer.resources import policies_dir

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
DOCUMENTS = sorted(p for p in REAL.iterdir() if p.suffix in {".txt", ".pdf"})
SEED = policies_dir() / "bcbsma-338-donor-lymphocyte-infusion.txt"


class _Unshortened(_Builder):
    """The builder as it was: every span written again for each fact, statement IRIs recomputed."""

    def span_node(self, span: Span) -> URIRef:
        self._spans.clear()
        return super().span_node(span)

    @property
    def statement_iris(self) -> dict[int, str]:  # type: ignore[override]
        return statement_iris(self.facts)


def _triples(graph: Graph) -> set[Any]:
    return set(graph)


@pytest.mark.parametrize("path", [*DOCUMENTS, SEED], ids=lambda p: p.name)
def test_graph_equals_the_one_built_without_shortcuts(path: Path, real_facts: Callable[[Path], Any]) -> None:
    facts = real_facts(path)
    fast, plain = facts_to_graph(facts), _Unshortened(facts).build()
    assert _triples(fast) == _triples(plain)
    assert isomorphic(fast, plain)
    assert dict(fast.namespaces()) == dict(plain.namespaces())


def test_a_span_shared_by_two_facts_is_written_once_and_linked_from_both(real_facts: Callable[[Path], Any]) -> None:
    """Citations share their sentence's span with other facts; the span node has one quote."""
    facts = real_facts(SEED)
    graph = facts_to_graph(facts)
    shared = [
        node for node in set(graph.objects(None, POL.sourceSpan)) if len(set(graph.subjects(POL.sourceSpan, node))) > 1
    ]
    assert shared, "the seed has facts sharing a span"
    for node in shared:
        assert (node, RDF.type, POL.TextSpan) in graph
        quotes = list(graph.objects(URIRef(f"{node};quote"), OA.exact))
        assert len(quotes) == 1
