"""GraphML read back with networkx, CSV node/edge tables, the schema.org block and the HTML graph."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from explorer.exporting import evidence_graph_of, export
from explorer.ingest.facts import Reference, Statement
from explorer.pipeline import load_policy_facts
from explorer.render.embed import schemaorg_script

POLICY = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def evidence(export_store):
    return evidence_graph_of(export_store, [POLICY])


def test_graphml_reads_back_with_networkx(export_store, evidence):
    result = export(export_store, "graphml", policy="338")
    g = nx.read_graphml(io.BytesIO(result.files[0].text.encode("utf-8")), force_multigraph=True)
    assert set(g.nodes) == {n.id for n in evidence.nodes}
    assert g.number_of_edges() == len(evidence.edges) == result.edges
    for node in evidence.nodes:
        assert g.nodes[node.id]["label"] == node.label
        assert g.nodes[node.id]["kind"] == node.kind
    relations = {(u, v, d["relation"]) for u, v, d in g.edges(data=True)}
    assert relations == {(e.source, e.target, e.relation) for e in evidence.edges}
    pmids = {d["pmid"] for _, d in g.nodes(data=True) if d.get("pmid")}
    assert pmids == {n.pmid for n in evidence.nodes if n.pmid}


def test_csv_tables_list_every_node_and_edge(export_store, evidence):
    nodes_file, edges_file = export(export_store, "csv", policy="338").files
    assert (nodes_file.part, edges_file.part) == ("nodes", "edges")
    nodes = list(csv.DictReader(io.StringIO(nodes_file.text)))
    edges = list(csv.DictReader(io.StringIO(edges_file.text)))
    assert {(r["id"], r["kind"], r["label"]) for r in nodes} == {(n.id, n.kind, n.label) for n in evidence.nodes}
    assert {(r["source"], r["target"], r["relation"]) for r in edges} == {
        (e.source, e.target, e.relation) for e in evidence.edges}


def test_max_nodes_caps_the_graph(export_store, evidence):
    result = export(export_store, "graphml", policy="338", max_nodes=10)
    assert result.nodes == 10 and result.dropped == len(evidence.nodes) - 10


def _schema_graph(script: str) -> Graph:
    body = re.fullmatch(r'<script type="application/ld\+json">\n(.*)\n</script>\n', script, re.S)
    assert body, script[:200]
    data = json.loads(body.group(1))
    assert data["@context"] == "https://schema.org"
    data["@context"] = {"@vocab": SCHEMA}   # parse offline: never fetch the remote context
    return Graph().parse(data=json.dumps(data), format="json-ld")


def test_schemaorg_block_uses_schema_medical_types(export_store):
    script = export(export_store, "schemaorg", policy="338").files[0].text
    graph = _schema_graph(script)
    page = URIRef(POLICY)
    assert (page, RDF.type, URIRef(SCHEMA + "MedicalWebPage")) in graph
    facts = load_policy_facts(export_store, "338")
    guideline_types = {URIRef(SCHEMA + "MedicalGuideline")}  # the status in words (issue 14 item 11)
    entities = list(graph.objects(page, URIRef(SCHEMA + "mainEntity")))
    assert len(entities) == len(facts.statements)
    assert all(set(graph.objects(e, RDF.type)) & guideline_types for e in entities)
    conditions = set(graph.subjects(RDF.type, URIRef(SCHEMA + "MedicalCondition")))
    assert URIRef("https://w3id.org/policy-explorer/vocab/disease/multiple-myeloma") in conditions
    pubmed = {str(o) for o in graph.objects(None, URIRef(SCHEMA + "sameAs"))}
    assert pubmed == {f"https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/" for r in facts.references if r.pmid}
    codes = {str(o) for o in graph.objects(None, URIRef(SCHEMA + "codeValue"))}
    assert codes == {c.code for c in facts.codes}


def test_schemaorg_script_cannot_be_closed_by_document_text(export_store):
    facts = load_policy_facts(export_store, "338")
    hostile = "</script><script>alert(1)</script> & <!--"
    first = facts.statements[0]
    facts = type(facts)(**{**facts.__dict__, "title": hostile,
                           "statements": (Statement(**{**first.__dict__, "text": hostile}),),
                           "references": (Reference(number=1, text=hostile, span=first.span, title=hostile),)})
    script = schemaorg_script(facts)
    inner = script[len('<script type="application/ld+json">'):-len("</script>\n")]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    graph = _schema_graph(script)
    assert (URIRef(POLICY), URIRef(SCHEMA + "name"), None) in graph
    assert str(graph.value(URIRef(POLICY), URIRef(SCHEMA + "name"))) == hostile


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def test_html_has_no_remote_src_or_href_besides_pubmed(export_store):
    page = export(export_store, "html", policy="338", height="500px").files[0].text
    parser = _Links()
    parser.feed(page)
    remote = [u for u in parser.urls if re.match(r"\s*(https?:)?//", u)]
    assert all(u.startswith("https://pubmed.ncbi.nlm.nih.gov/") for u in remote), remote
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//(?!pubmed\.ncbi\.nlm\.nih\.gov/)""", page)
    assert "500px" in page
