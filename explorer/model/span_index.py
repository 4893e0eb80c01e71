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

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from explorer.model.iris import OA
from explorer.model.namespace import POL
from explorer.model.triple_store import plain_graph, triples_of


def span_index(graph: Graph) -> Graph:
    """The index triples of a policy's asserted ``graph``: for each span (a node with
    ``oa:hasSelector``: the spans facts point to with ``pol:sourceSpan``, and citing sentences)
    whose selectors give one start, one end and one quote, ``span pol:spanStart n ; pol:spanEnd n ;
    pol:spanQuote "..."``. A span missing any of the three gets no triple (the queries read the
    three together). One pass over the triples, not lookups per span: rdflib's lookups cost about
    3 us each, a policy has thousands of spans, and a lookup by predicate indexed every triple."""
    tables = _by_subject(graph, (OA.hasSelector, OA.start, OA.end, OA.exact))
    values = {name: tables[prop] for name, prop in (("start", OA.start), ("end", OA.end), ("quote", OA.exact))}
    index = plain_graph()
    for span, own in tables[OA.hasSelector].items():
        if not isinstance(span, URIRef):
            continue
        found = [{v for sel in own for v in values[name].get(sel, ())} for name in ("start", "end", "quote")]
        if all(len(f) == 1 for f in found):
            start, end, quote = (f.pop() for f in found)
            if isinstance(start, Literal) and isinstance(end, Literal) and isinstance(quote, Literal):
                index.add((span, POL.spanStart, start))
                index.add((span, POL.spanEnd, end))
                index.add((span, POL.spanQuote, quote))
    return index


def _by_subject(graph: Graph, props: tuple[URIRef, ...]) -> dict[Node, dict[Node, list[Node]]]:
    """For each of ``props``: its values by subject, in the order added."""
    tables: dict[Node, dict[Node, list[Node]]] = {prop: defaultdict(list) for prop in props}
    for subject, prop, value in triples_of(graph):
        table = tables.get(prop)
        if table is not None:
            table[subject].append(value)
    return tables


__all__ = ["span_index"]
