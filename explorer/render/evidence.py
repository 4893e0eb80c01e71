"""A small, backend-neutral evidence graph: what the graph view and the graph exports draw.

The RDF side (a ``.rq`` query over the store) builds an :class:`EvidenceGraph`; the renderers in
this package (pyvis HTML, GraphML, CSV) only read it. Node ids are IRIs; text fields are plain
text exactly as found in documents: escaping is each renderer's job, never the builder's.

Filtering happens here, before anything is drawn, so a view of a 1,000-policy corpus never hands
100k nodes to a browser: :meth:`EvidenceGraph.filter` narrows by policy, disease, status and kind,
then caps the size, keeping the most connected nodes and counting the ones it left out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: Node kinds the renderers know (others are drawn in a neutral colour).
KINDS: tuple[str, ...] = ("disease", "indication", "statement", "reference", "policy", "topic", "code")

#: Kinds a disease filter walks through: a selected disease brings in the indications and
#: statements that concern it and, from those, their references, codes and policy. References,
#: policies, codes and topics are leaves of that walk, so a reference cited by two statements does
#: not pull in the other statement's diseases.
PASS_THROUGH_KINDS: frozenset[str] = frozenset({"indication", "statement"})

#: The relation of an edge from a disease to its broader disease. A disease filter keeps the broader
#: diseases too, so the statements about "hematologic malignancy" show up for a chronic myeloid
#: leukemia: they are what covers it.
BROADER_RELATION = "narrower than"

# When the size cap must choose between equally connected nodes, keep the more central kinds.
_KIND_PRIORITY = {"disease": 0, "statement": 1, "indication": 2, "policy": 3, "reference": 4, "code": 5}


@dataclass(frozen=True)
class GraphNode:
    """One node: ``id`` is an IRI, text fields are plain (unescaped) text.

    ``status`` is a status slug (statements only), ``url`` a link for the node (only PubMed links
    are ever made clickable in HTML), ``pmid`` a PubMed id, and ``policy`` the IRI of the policy
    document the node was stated in (None for shared vocabulary nodes such as diseases; a policy
    node's ``policy`` is its own id).
    """

    id: str
    kind: str
    label: str
    tooltip: str = ""
    status: str | None = None
    url: str | None = None
    pmid: str | None = None
    policy: str | None = None


@dataclass(frozen=True)
class GraphEdge:
    """A directed edge between two node ids, with the relation's label."""

    source: str
    target: str
    relation: str


@dataclass(frozen=True)
class EvidenceGraph:
    """Nodes and edges; ``dropped`` counts the nodes a size cap left out of this graph.

    :raises ValueError: on duplicate node ids or an edge whose end is not a node.
    """

    nodes: tuple[GraphNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()
    dropped: int = 0
    _index: Mapping[str, GraphNode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "edges", tuple(self.edges))
        index: dict[str, GraphNode] = {}
        for node in self.nodes:
            if node.id in index:
                raise ValueError(f"duplicate node id {node.id!r}")
            index[node.id] = node
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in index:
                    raise ValueError(f"edge {edge.source!r} -> {edge.target!r}: unknown node {end!r}")
        object.__setattr__(self, "_index", index)

    def node(self, node_id: str) -> GraphNode:
        """The node with this id (:raises KeyError: if there is none)."""
        return self._index[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def filter(
        self,
        *,
        policies: Iterable[str] | None = None,
        diseases: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        max_nodes: int | None = None,
    ) -> EvidenceGraph:
        """A narrowed copy; each argument left as None does not filter.

        - ``kinds``: keep only nodes of these kinds.
        - ``statuses``: drop statements (nodes with a status) whose status slug is not listed.
        - ``policies``: keep nodes stated in these policies, plus shared nodes (``policy`` None)
          next to one of them. A value matches a policy IRI exactly or its trailing path
          segments (``338`` or ``bcbsma/338``).
        - ``diseases``: keep the listed diseases (IRI, or slug = last path segment), the broader
          diseases above them (:data:`BROADER_RELATION` edges), and what a walk from those
          reaches through indications and statements (see :data:`PASS_THROUGH_KINDS`);
          other diseases are dropped.
        - Nodes left without any edge by these filters (but that had edges before) are dropped.
        - ``max_nodes``: then keep at most this many, the most connected first; the result's
          ``dropped`` says how many were left out.

        :raises ValueError: if ``max_nodes`` is less than 1.
        """
        if max_nodes is not None and max_nodes < 1:
            raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
        keep = {n.id for n in self.nodes}
        if kinds is not None:
            wanted_kinds = set(kinds)
            keep = {i for i in keep if self._index[i].kind in wanted_kinds}
        if statuses is not None:
            wanted_statuses = set(statuses)
            keep = {i for i in keep if self._index[i].status in (None, *wanted_statuses)}
        if policies is not None:
            keep = self._within_policies(keep, list(policies))
        if diseases is not None:
            keep = self._around_diseases(keep, list(diseases))
        keep = self._drop_stranded(keep)
        dropped = 0
        if max_nodes is not None and len(keep) > max_nodes:
            ranked = sorted(keep, key=self._rank_key(keep))
            dropped = len(keep) - max_nodes
            keep = set(ranked[:max_nodes])
        return self._subgraph(keep, dropped)

    def to_networkx(self) -> nx.MultiDiGraph:
        """A networkx MultiDiGraph; node attributes are the non-empty GraphNode fields, each edge
        has a ``relation`` attribute and the relation as its key."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for node in self.nodes:
            g.add_node(node.id, **node_attributes(node))
        for edge in self.edges:
            g.add_edge(edge.source, edge.target, key=edge.relation, relation=edge.relation)
        return g

    # -- helpers -------------------------------------------------------------------------------

    def _neighbours(self, within: set[str]) -> dict[str, set[str]]:
        adj: dict[str, set[str]] = {i: set() for i in within}
        for e in self.edges:
            if e.source in within and e.target in within and e.source != e.target:
                adj[e.source].add(e.target)
                adj[e.target].add(e.source)
        return adj

    def _within_policies(self, keep: set[str], policies: list[str]) -> set[str]:
        owned = {i for i in keep if _matches(self._index[i].policy, policies)}
        shared = {i for i in keep if self._index[i].policy is None}
        adj = self._neighbours(owned | shared)
        return owned | {i for i in shared if adj[i] & owned}

    def _around_diseases(self, keep: set[str], diseases: list[str]) -> set[str]:
        seeds = [i for i in keep if self._index[i].kind == "disease" and _matches(i, diseases)]
        seeds += [i for i in self._broader(seeds) if i in keep and i not in seeds]
        allowed = {i for i in keep if self._index[i].kind != "disease"} | set(seeds)
        adj = self._neighbours(allowed)
        reached = set(seeds)
        queue = deque(seeds)
        while queue:
            current = queue.popleft()
            for nxt in adj[current]:
                if nxt in reached:
                    continue
                reached.add(nxt)
                if self._index[nxt].kind in PASS_THROUGH_KINDS:
                    queue.append(nxt)
        return reached

    def _broader(self, diseases: list[str]) -> set[str]:
        """Every disease above these through :data:`BROADER_RELATION` edges (what covers them)."""
        up: dict[str, list[str]] = {}
        for e in self.edges:
            if e.relation == BROADER_RELATION:
                up.setdefault(e.source, []).append(e.target)
        found: set[str] = set()
        stack = list(diseases)
        while stack:
            for parent in up.get(stack.pop(), []):
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        return found

    def _drop_stranded(self, keep: set[str]) -> set[str]:
        had_edges = {e.source for e in self.edges} | {e.target for e in self.edges}
        connected = {i for i, near in self._neighbours(keep).items() if near}
        return {i for i in keep if i in connected or i not in had_edges}

    def _rank_key(self, keep: set[str]) -> Any:
        degree = {i: len(near) for i, near in self._neighbours(keep).items()}

        def key(node_id: str) -> tuple[int, int, str]:
            kind = self._index[node_id].kind
            return (-degree[node_id], _KIND_PRIORITY.get(kind, 9), node_id)

        return key

    def _subgraph(self, keep: set[str], dropped: int) -> EvidenceGraph:
        nodes = tuple(n for n in self.nodes if n.id in keep)
        edges = tuple(e for e in self.edges if e.source in keep and e.target in keep)
        return EvidenceGraph(nodes, edges, dropped=dropped)


def node_attributes(node: GraphNode) -> dict[str, str]:
    """The node's fields other than ``id`` that have a value (for GraphML, CSV and networkx)."""
    values = {
        "kind": node.kind,
        "label": node.label,
        "tooltip": node.tooltip,
        "status": node.status,
        "url": node.url,
        "pmid": node.pmid,
        "policy": node.policy,
    }
    return {k: v for k, v in values.items() if v}


def _matches(iri: str | None, wanted: list[str]) -> bool:
    """True if ``iri`` equals a wanted value or ends with ``/`` + that value."""
    if not iri:
        return False
    return any(iri == w or (w and iri.endswith("/" + w.strip("/"))) for w in wanted)
