"""Workbench results a reader can use (issue 14 item 14): PMIDs open PubMed, IRIs can be shown as
labels, and the ontology page gives the prefixed names a query writer types (pol:hasStatus)."""

from __future__ import annotations

import json

from explorer.app.labels import prefix_block, prefixed
from tests.app.conftest import assert_clean, open_app

POL = "https://w3id.org/policy-explorer/ontology#"


def test_pmid_column_links_to_pubmed() -> None:
    at = open_app("workbench", {"query": "references", "p.policy": "338"})
    assert_clean(at)
    frame = at.dataframe[0]
    pmids = [v for v in frame.value["pmid"] if v]
    assert "https://pubmed.ncbi.nlm.nih.gov/20381970/" in pmids
    assert all(v.startswith("https://pubmed.ncbi.nlm.nih.gov/") for v in pmids)
    config = json.loads(frame.proto.columns)["pmid"]["type_config"]
    assert config["type"] == "link" and "(\\d+)" in config["display_text"]  # the number is what shows


def test_own_query_shows_labels_instead_of_iris_when_asked() -> None:
    at = open_app("workbench", {"query": "own"})
    at.button(key="wb_run").click().run()
    assert set(at.dataframe[0].value["status"]) == {f"https://w3id.org/policy-explorer/vocab/status/{s}"
                                                    for s in ("investigational", "medically-necessary")}
    at.toggle(key="wb_labels").set_value(True).run()
    assert_clean(at)
    assert set(at.dataframe[0].value["status"]) == {"investigational", "medically necessary"}
    assert all(s.startswith("id:policy/bcbsma/338/statement/") for s in at.dataframe[0].value["statement"])
    assert at.query_params["labels"] == "1"


def test_ontology_page_shows_prefixed_names() -> None:
    at = open_app("ontology", {"class": POL + "CoverageStatement"})
    assert_clean(at)
    assert "pol:hasStatus" in at.dataframe[1].value["name"].tolist()
    assert "pol:CoverageStatement" in at.dataframe[0].value["name"].tolist()
    assert "`pol:CoverageStatement`" in at.markdown[0].value
    assert f"PREFIX pol: <{POL}>" in at.code[0].value


def test_prefixed_names() -> None:
    assert prefixed(POL + "hasStatus") == "pol:hasStatus"
    assert prefixed("https://w3id.org/policy-explorer/vocab/disease/chronic-myeloid-leukemia") == \
        "disease:chronic-myeloid-leukemia"
    assert prefixed("http://example.org/x") == "http://example.org/x"
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in prefix_block()
