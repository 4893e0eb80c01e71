"""Build the :class:`EvidenceGraph` the app and the HTML export draw, from the store's RDF.

Nodes: policies, coverage statements (with their status), indications, diseases (taxonomy
concepts, with the broader diseases that connect them) and references (with PMIDs). The
``queries/internal/app-*.rq`` queries are run once per requested policy with ``?policy`` bound, so
a view of one policy in a 1,000-policy corpus reads only that policy's facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import URIRef

from explorer.internal_queries import internal_query
from explorer.model import VOCABULARY_GRAPH
from explorer.render.evidence import BROADER_RELATION, EvidenceGraph, GraphEdge, GraphNode


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _slug(iri: Any) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, GraphNode] = {}
        self.edges: dict[tuple[str, str, str], GraphEdge] = {}

    def node(self, node: GraphNode) -> None:
        self.nodes.setdefault(node.id, node)

    def edge(self, source: str, target: str, relation: str) -> None:
        if source in self.nodes and target in self.nodes:
            self.edges.setdefault((source, target, relation), GraphEdge(source, target, relation))

    def graph(self) -> EvidenceGraph:
        return EvidenceGraph(tuple(self.nodes.values()), tuple(self.edges.values()))


def build_evidence_graph(store: Any, graphs: Sequence[str] | None, policies: Sequence[str] | None = None
                         ) -> EvidenceGraph:
    """The evidence graph of the given policy IRIs (None: every policy) read from ``graphs`` (the
    store's policy graphs; the vocabulary graph, for disease labels, is always added), or from the
    store's union of every graph when ``graphs`` is None."""
    scope = None if graphs is None else [*graphs, str(VOCABULARY_GRAPH)]
    bindings_list: list[dict[str, URIRef] | None] = (
        [None] if policies is None else [{"policy": URIRef(p)} for p in policies]
    )
    b = _Builder()

    def rows(name: str) -> Iterable[Any]:
        for bindings in bindings_list:
            yield from store.query(internal_query(name), bindings=bindings, graphs=scope)

    for r in rows("app-evidence-statements"):
        policy = str(r.policy)
        b.node(GraphNode(policy, "policy", f"Policy {r.number}", tooltip=f"{r.number} {r.title}", policy=policy))
        status = _slug(r.status)
        label = f"{r.number} #{r.statementNumber}: {_text(r.statusLabel) or status}"
        b.node(GraphNode(str(r.statement), "statement", label, tooltip=str(r.text), status=status, policy=policy))
        b.edge(policy, str(r.statement), "has statement")
    for r in rows("app-evidence-indications"):
        b.node(GraphNode(str(r.indication), "indication", str(r.text), tooltip=str(r.text), policy=str(r.policy)))
        b.edge(str(r.statement), str(r.indication), "has indication")
    for r in rows("app-evidence-references"):
        policy = str(r.policy)
        pmid = _text(r.pmid)
        label = f"PMID {pmid}" if pmid else f"Reference {r.number}"
        parts = [p for p in (_text(r.title), _text(r.year)) if p]
        tooltip = " (".join(parts) + (")" if len(parts) == 2 else "") if parts else (_text(r.citation) or label)
        b.node(GraphNode(str(r.reference), "reference", label, tooltip=tooltip, pmid=pmid, policy=policy,
                         url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None))
        if policy in b.nodes:
            b.edge(policy, str(r.reference), "cites")
        else:
            b.node(GraphNode(policy, "policy", "Policy", policy=policy))
            b.edge(policy, str(r.reference), "cites")
    labels: dict[str, str] = {}
    mentioned: list[tuple[str, str]] = []
    for r in rows("app-evidence-mentions"):
        disease = str(r.disease)
        labels[disease] = _text(r.label) or _slug(disease)
        mentioned.append((str(r.subject), disease))
    broader: dict[str, list[str]] = {}
    for r in store.query(internal_query("app-disease-broader"), graphs=[str(VOCABULARY_GRAPH)]):
        broader.setdefault(str(r.disease), []).append(str(r.broader))
        labels.setdefault(str(r.disease), _text(r.label) or _slug(r.disease))
        labels.setdefault(str(r.broader), _text(r.broaderLabel) or _slug(r.broader))
    # the mentioned diseases and every broader disease above them, so subtypes meet their parents
    wanted = {d for _, d in mentioned}
    stack = list(wanted)
    while stack:
        for parent in broader.get(stack.pop(), []):
            if parent not in wanted:
                wanted.add(parent)
                stack.append(parent)
    for disease in sorted(wanted):
        b.node(GraphNode(disease, "disease", labels.get(disease, _slug(disease)),
                         tooltip=f"Disease: {labels.get(disease, _slug(disease))}"))
    for subject, disease in mentioned:
        b.edge(subject, disease, "mentions disease")
    for disease in sorted(wanted):
        for parent in broader.get(disease, []):
            b.edge(disease, parent, BROADER_RELATION)
    return b.graph()
