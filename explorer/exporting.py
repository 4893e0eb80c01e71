"""Export a policy or the corpus from a store: read what the format needs, then write it.

The one export route of both faces (``policy-explorer export`` and the app's Exports page). This
module picks the graphs (``explorer.pipeline``) and hands them to the pure writers in
``explorer.render.exports``; render never calls back into the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.errors import ExplorerError
from explorer.model import graph_iri
from explorer.pipeline import export_graphs, list_policies, load_policy_facts, resolve_policy
from explorer.render.evidence import EvidenceGraph
from explorer.render.evidence_build import build_evidence_graph
from explorer.render.exports import (
    EXPORT_FORMATS,
    RDF_FORMATS,
    ExportResult,
    evidence_subgraphs,
    graph_export,
    rdf_export,
    schemaorg_export,
)
from explorer.store import PolicyStore


def export(
    store: PolicyStore,
    fmt: str,
    *,
    policy: str | None = None,
    evidence: bool = False,
    inferred: bool = False,
    vocabulary: bool = False,
    height: str = "700px",
    max_nodes: int | None = None,
    physics: bool = True,
    page_url: str | None = None,
) -> ExportResult:
    """Export ``policy`` (number or IRI; None: every policy) in format ``fmt``.

    ``evidence`` narrows RDF formats to the triples between evidence-graph nodes (and their
    literals); ``inferred``/``vocabulary`` add those named graphs to RDF formats. ``height`` and
    ``max_nodes`` size the HTML graph (``max_nodes`` also caps GraphML/CSV); ``page_url`` is the
    schema.org block's ``url`` (the address of the page it goes in; default the policy's IRI).
    :raises ExplorerError: unknown format, unknown policy, empty store, bad height.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExplorerError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    if fmt in RDF_FORMATS:
        graphs = export_graphs(store, policy, inferred=inferred, vocabulary=vocabulary)
        if evidence:
            graphs = evidence_subgraphs(graphs, evidence_graph(store, policy).nodes)
        return rdf_export(graphs, fmt)
    if fmt == "schemaorg":
        from explorer.model import load_vocabulary_graph

        policies = [policy] if policy else [p.iri for p in list_policies(store)]
        facts = [load_policy_facts(store, p) for p in policies]
        return schemaorg_export(facts, load_vocabulary_graph(), page_url if policy else None)
    title = f"Evidence graph: policy {policy}" if policy else "Evidence graph"
    return graph_export(evidence_graph(store, policy), fmt, title=title, height=height, max_nodes=max_nodes,
                        physics=physics)


def evidence_graph(store: PolicyStore, policy: str | None = None) -> EvidenceGraph:
    """The evidence graph of ``policy`` (number or IRI; None: every policy in the store)."""
    return evidence_graph_of(store, [resolve_policy(store, policy)] if policy else None)


def evidence_graph_of(store: PolicyStore, policies: Sequence[str] | None) -> EvidenceGraph:
    """The evidence graph of the policy IRIs ``policies`` (None: every policy in the store)."""
    # only the chosen policies' graphs; for every policy, the store's union graph: a list of every
    # policy graph as the default graph is slow on a large store (each pattern is evaluated over each
    # graph). The inferred triples in the union add no node or edge (the same graph on the bundled
    # corpus, tests/exports/test_evidence_union.py): each query asks for asserted facts.
    if policies is None:
        return build_evidence_graph(store, None, None)
    return build_evidence_graph(store, [str(graph_iri(p)) for p in policies], policies)
