"""The graph keeps the source file's name (never its path), media type and both hashes, so the
same document gives the same graph on any machine; facts round-trip; SHACL accepts it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from explorer.ingest import parse_policy, parse_policy_file
from explorer.model import POL, facts_to_graph, graph_to_facts, policy_iri_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DOCS = [FIXTURES / "html" / "bcbsma-338-donor-lymphocyte-infusion.html",
        FIXTURES / "pdf" / "bcbsma-338-donor-lymphocyte-infusion.pdf"]


@pytest.mark.parametrize("name", ["web.txt", "page.html"])
def test_same_document_in_two_folders_gives_isomorphic_graphs_without_the_path(tmp_path, seed_web_path, name):
    source = seed_web_path if name.endswith(".txt") else DOCS[0]
    graphs = []
    for folder in ("machine-a/deep/folder", "machine-b"):
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True)
        shutil.copyfile(source, path)
        graph = facts_to_graph(parse_policy_file(path.resolve()))
        assert not any(str(tmp_path) in str(term) for triple in graph for term in triple)
        graphs.append(graph)
    assert isomorphic(*graphs)
    assert Literal(name) in set(graphs[0].objects(None, POL.fileName))


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.suffix)
def test_media_type_and_original_hash_are_stored_and_read_back(path):
    facts = parse_policy_file(path)
    graph = facts_to_graph(facts)
    assert set(graph.objects(None, DCTERMS.format)) == {Literal(facts.media_type)}
    assert set(graph.objects(None, POL.originalSha256)) == {Literal(facts.original_sha256)}
    assert graph_to_facts(graph, policy_iri_of(facts)) == facts


def test_text_parsed_directly_round_trips_too(seed_web_path):
    facts = parse_policy(seed_web_path.read_text(encoding="utf-8"), "web.txt")
    assert (facts.source_name, facts.original_sha256, facts.media_type) == (None, None, "text/plain")
    assert graph_to_facts(facts_to_graph(facts), policy_iri_of(facts)) == facts


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.suffix)
def test_graphs_of_pdf_and_html_conform_to_the_shapes(path):
    from explorer.validate import validate_graph

    result = validate_graph(facts_to_graph(parse_policy_file(path)))
    assert result.conforms, result
