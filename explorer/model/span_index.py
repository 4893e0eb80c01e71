"""The index graph of one policy: values its graph already holds, precomputed for the queries.

The catalog's widest join was the span block: fact -> ``pol:sourceSpan`` -> two ``oa:hasSelector``
-> ``oa:start``/``oa:end`` and ``oa:exact`` (five lookups and a 2 x 2 selector fan-out per row). The
index repeats each span's offsets and quote on the span itself (``pol:spanStart``, ``pol:spanEnd``,
``pol:spanQuote``), so a query reads them in one hop. It is keyed by the span, not the fact: a fact
may have several spans (a code listed in two rows), and each span has exactly one start, end and
quote. The triples live in the policy's index graph (``iris.index_graph_iri``), written and removed
with its asserted and inferred graphs, and are derived again from its graph at every ingest.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from explorer.model.iris import OA
from explorer.model.namespace import POL


def span_index(graph: Graph) -> Graph:
    """The index triples of a policy's asserted ``graph``: for each span (a node with
    ``oa:hasSelector``: the spans facts point to with ``pol:sourceSpan``, and citing sentences)
    whose selectors give one start, one end and one quote, ``span pol:spanStart n ; pol:spanEnd n ;
    pol:spanQuote "..."``. A span missing any of the three gets no triple (the queries read the
    three together)."""
    index = Graph()
    for span in set(graph.subjects(OA.hasSelector, None)):
        if not isinstance(span, URIRef):
            continue
        starts: set[Node] = set()
        ends: set[Node] = set()
        quotes: set[Node] = set()
        for selector in graph.objects(span, OA.hasSelector):
            starts.update(graph.objects(selector, OA.start))
            ends.update(graph.objects(selector, OA.end))
            quotes.update(graph.objects(selector, OA.exact))
        if len(starts) == len(ends) == len(quotes) == 1:
            start, end, quote = starts.pop(), ends.pop(), quotes.pop()
            if isinstance(start, Literal) and isinstance(end, Literal) and isinstance(quote, Literal):
                index.add((span, POL.spanStart, start))
                index.add((span, POL.spanEnd, end))
                index.add((span, POL.spanQuote, quote))
    return index


__all__ = ["span_index"]
