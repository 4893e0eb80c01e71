"""GraphML that strict readers take whole (issue 14 item 8): Gephi drops every edge whose id
repeats, so edge ids must be unique (they were the relation: "cites", "has statement"). Checked with
the identity constraints of the GraphML schema (node ids, edge ids and key ids unique; edge ends and
data keys refer to declared ids) read with lxml, and read back with igraph, a second reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from explorer.exporting import evidence_graph_of, export
from explorer.pipeline import ingest_paths
from explorer.store import open_store

NS = "http://graphml.graphdrawing.org/xmlns"
Q = f"{{{NS}}}"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
ATTR_TYPES = {"boolean", "int", "long", "float", "double", "string"}


def graphml_problems(text: str) -> list[str]:
    """What the GraphML 1.0 schema's structure and identity constraints (key, keyref) refuse."""
    root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    found: list[str] = []
    if root.tag != Q + "graphml":
        return [f"root element is {root.tag}, not graphml in {NS}"]
    keys: dict[str, str] = {}
    for key in root.iter(Q + "key"):
        kid = key.get("id")
        if not kid or kid in keys:
            found.append(f"key id {kid!r} missing or repeated")
        keys[kid or ""] = key.get("for", "all")
        if key.get("attr.type", "string") not in ATTR_TYPES:
            found.append(f"key {kid}: attr.type {key.get('attr.type')!r}")
    graphs = root.findall(Q + "graph")
    if len(graphs) != 1:
        found.append(f"{len(graphs)} graph elements")
    for graph in graphs:
        if graph.get("edgedefault") not in ("directed", "undirected"):
            found.append(f"edgedefault {graph.get('edgedefault')!r}")
    node_ids: set[str] = set()
    for node in root.iter(Q + "node"):
        nid = node.get("id")
        if not nid or nid in node_ids:
            found.append(f"node id {nid!r} missing or repeated")
        node_ids.add(nid or "")
    edge_ids: set[str] = set()
    for edge in root.iter(Q + "edge"):
        eid = edge.get("id")
        if eid is not None:
            if eid in edge_ids:
                found.append(f"edge id {eid!r} repeated")
            edge_ids.add(eid)
        for end in ("source", "target"):
            if edge.get(end) not in node_ids:
                found.append(f"edge {eid}: {end} {edge.get(end)!r} is not a node")
    for data in root.iter(Q + "data"):
        owner = etree.QName(data.getparent()).localname
        target = keys.get(data.get("key", ""))
        if target is None:
            found.append(f"data key {data.get('key')!r} is not declared")
        elif target not in (owner, "all"):
            found.append(f"data key {data.get('key')!r} is for {target}, used on {owner}")
    return found


@pytest.fixture(scope="module")
def real_store() -> Any:
    with open_store("memory:") as store:
        report = ingest_paths(store, [REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"], reason=False)
        assert report.ok
        yield store


def test_checker_refuses_repeated_edge_ids() -> None:
    text = (f'<graphml xmlns="{NS}"><graph edgedefault="directed"><node id="a"/><node id="b"/>'
            '<edge id="cites" source="a" target="b"/><edge id="cites" source="b" target="a"/></graph></graphml>')
    assert graphml_problems(text) == ["edge id 'cites' repeated"]


@pytest.mark.parametrize("which", ["seed", "real"])
def test_graphml_edges_have_unique_ids_and_every_edge_imports(which: str, export_store: Any, real_store: Any,
                                                             tmp_path: Path) -> None:
    import igraph

    store = export_store if which == "seed" else real_store
    policy = "338" if which == "seed" else "MP360"
    result = export(store, "graphml", policy=policy)
    text = result.files[0].text
    assert graphml_problems(text) == []
    expected = evidence_graph_of(store, None)
    expected_edges = sorted((e.source, e.target, e.relation) for e in expected.edges)
    assert result.edges == len(expected_edges) > 10

    path = tmp_path / "g.graphml"
    path.write_text(text, encoding="utf-8")
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed() and g.vcount() == result.nodes and g.ecount() == result.edges
    ids = g.vs["id"]
    read = sorted((ids[e.source], ids[e.target], e["relation"]) for e in g.es)
    assert read == expected_edges
    assert g.es["label"] == g.es["relation"]
