"""The span index (explorer.model.span_index): each span's offsets and quote, one hop from the span,
exactly as its selectors give them, on real documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph
from explorer.model.iris import OA
from explorer.model.namespace import POL
from explorer.model.span_index import span_index

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
SEED = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"


def _selectors(graph: Graph, span: object) -> tuple[object, object, object]:
    """A span's (start, end, quote) read through its two selectors, as the old queries did."""
    (start,) = [o for s in graph.objects(span, OA.hasSelector) for o in graph.objects(s, OA.start)]
    (end,) = [o for s in graph.objects(span, OA.hasSelector) for o in graph.objects(s, OA.end)]
    (quote,) = [o for s in graph.objects(span, OA.hasSelector) for o in graph.objects(s, OA.exact)]
    return start, end, quote


@pytest.mark.parametrize("path", [SEED, REAL / "blueshieldca-algorithmic-testing.txt"], ids=lambda p: p.name)
def test_every_span_has_its_selectors_values_and_nothing_else(path: Path) -> None:
    facts = parse_policy_file(path)
    graph = facts_to_graph(facts)
    index = span_index(graph)
    spans = set(graph.subjects(RDF.type, POL.TextSpan))
    assert spans and set(index.subjects()) == spans
    assert set(index.predicates()) == {POL.spanStart, POL.spanEnd, POL.spanQuote}
    assert len(index) == 3 * len(spans)
    for span in spans:
        start, end, quote = _selectors(graph, span)
        assert (index.value(span, POL.spanStart), index.value(span, POL.spanEnd),
                index.value(span, POL.spanQuote)) == (start, end, quote)
        # the span IRI names the same range (RFC 5147: {document}#char={start},{end})
        assert str(span).endswith(f"#char={start},{end}")
    assert not set(index) & set(graph)  # derived: nothing the policy's own graph asserts


def test_a_fact_with_several_spans_keeps_each_span_with_its_own_offsets() -> None:
    """Keyed by the span, not the fact: a fact read from several rows gets no start x end mix."""
    graph = facts_to_graph(parse_policy_file(REAL / "blueshieldca-algorithmic-testing.txt"))
    index = span_index(graph)
    facts = [f for f in set(graph.subjects(POL.sourceSpan, None)) if len(set(graph.objects(f, POL.sourceSpan))) > 2]
    assert facts
    for fact in facts:
        pairs = {(int(index.value(s, POL.spanStart)), int(index.value(s, POL.spanEnd)))  # type: ignore[arg-type]
                 for s in graph.objects(fact, POL.sourceSpan)}
        assert len(pairs) == len(set(graph.objects(fact, POL.sourceSpan)))
        assert all(start < end for start, end in pairs)


def test_quotes_are_the_document_text_at_the_offsets() -> None:
    facts = parse_policy_file(SEED)
    index = span_index(facts_to_graph(facts))
    for span in set(index.subjects()):
        start, end = int(index.value(span, POL.spanStart)), int(index.value(span, POL.spanEnd))  # type: ignore[arg-type]
        quote = index.value(span, POL.spanQuote)
        assert isinstance(quote, Literal) and facts.text[start:end] == str(quote)


def test_a_span_without_both_selectors_gets_no_index() -> None:
    graph = facts_to_graph(parse_policy_file(SEED))
    span = next(iter(graph.subjects(RDF.type, POL.TextSpan)))
    for selector in list(graph.objects(span, OA.hasSelector)):
        graph.remove((selector, OA.exact, None))
    index = span_index(graph)
    assert (span, None, None) not in index
    assert len(set(index.subjects())) == len(set(graph.subjects(RDF.type, POL.TextSpan))) - 1
