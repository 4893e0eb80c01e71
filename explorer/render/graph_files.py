"""The evidence graph for network tools: GraphML (Gephi, Cytoscape, yEd) and CSV node + edge tables."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from explorer.render.evidence import EvidenceGraph, node_attributes

NODE_COLUMNS = ("id", "label", "kind", "status", "pmid", "url", "policy", "tooltip")
EDGE_COLUMNS = ("source", "target", "relation")


@dataclass(frozen=True)
class CsvTables:
    """Two CSV documents: one row per node (``id`` first) and one per edge."""

    nodes: str
    edges: str


def evidence_graphml(graph: EvidenceGraph) -> str:
    """GraphML of ``graph``: node attributes ``label``, ``kind``, ``status``, ``pmid``..., edge
    attributes ``relation`` and ``label`` (the same words, which Gephi shows); node ids are the
    IRIs, edge ids ``e0``, ``e1``... are unique in the file (Gephi drops an edge whose id repeats:
    ids were the relation, so 5 of 87 edges of the seed policy survived an import)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for node in graph.nodes:
        attributes = node_attributes(node)
        g.add_node(node.id, **{k: attributes.get(k, "") for k in NODE_COLUMNS if k != "id"})
    for index, edge in enumerate(graph.edges):
        g.add_edge(edge.source, edge.target, key=f"e{index}", relation=edge.relation, label=edge.relation)
    out = io.BytesIO()
    nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)
    return out.getvalue().decode("utf-8")


def evidence_csv(graph: EvidenceGraph) -> CsvTables:
    """Node and edge tables (UTF-8, CRLF line ends, header row first) as Gephi's import expects."""
    nodes = io.StringIO()
    writer = csv.writer(nodes)
    writer.writerow(NODE_COLUMNS)
    for node in graph.nodes:
        attributes = node_attributes(node)
        writer.writerow([node.id, *(attributes.get(k, "") for k in NODE_COLUMNS[1:])])
    edges = io.StringIO()
    writer = csv.writer(edges)
    writer.writerow(EDGE_COLUMNS)
    for edge in graph.edges:
        writer.writerow([edge.source, edge.target, edge.relation])
    return CsvTables(nodes.getvalue(), edges.getvalue())
