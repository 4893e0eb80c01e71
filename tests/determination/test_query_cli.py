"""`policy-explorer query` / `queries` / `reason` on the seed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import RDF, Literal, URIRef

from tests.cliutil import run

MM_PMIDS = {"9354693", "11149728", "8839877", "10944138"}


def _csv(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


@pytest.mark.parametrize("disease", ["multiple myeloma", "myeloma", "C90.00"])
def test_evidence_for_multiple_myeloma_by_label_synonym_or_code(seed_store, disease):
    result = run("query", "evidence-for-disease", "--param", f"disease={disease}", "--format", "csv", store=seed_store)
    assert result.exit_code == 0, result.stderr
    assert {r["pmid"] for r in _csv(result.stdout) if r["pmid"]} == MM_PMIDS


def test_evidence_for_a_broad_disease_includes_its_subtypes(seed_store):
    broad = _csv(run("query", "evidence-for-disease", "-p", "disease=hematologic malignancy", "--format", "csv",
                     store=seed_store).stdout)
    assert MM_PMIDS.issubset({r["pmid"] for r in broad})


def test_json_output_is_sparql_results_json(seed_store):
    data = json.loads(run("query", "codes", "--format", "json", store=seed_store).stdout)
    assert "code" in data["head"]["vars"]
    assert [b["code"]["value"] for b in data["results"]["bindings"]] == ["38242"]


@pytest.mark.parametrize("text", [
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/x.ttl>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "DROP ALL",
])
def test_updates_load_and_service_are_refused_with_exit_2(seed_store, text):
    before = run("list", "--format", "json", store=seed_store).stdout
    result = run("query", "--text", text, store=seed_store)
    assert result.exit_code == 2 and "refused" in result.stderr.lower() and "Traceback" not in result.stderr
    assert run("list", "--format", "json", store=seed_store).stdout == before


def test_malformed_query_is_a_clear_error(seed_store):
    result = run("query", "--text", "SELECT ?s WHERE { ?s ?p ", store=seed_store)
    assert result.exit_code == 2 and result.stderr.startswith("error:")


def test_row_limit_cuts_and_says_so(seed_store):
    result = run("query", "--text", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--max-rows", "5", "--format", "csv",
                 store=seed_store)
    assert result.exit_code == 0 and len(_csv(result.stdout)) == 5 and "cut at 5 rows" in result.stderr


def test_ad_hoc_file_and_asserted_only(seed_store, tmp_path):
    rq = tmp_path / "inv.rq"
    rq.write_text("PREFIX pol: <https://w3id.org/policy-explorer/ontology#>\n"
                  "SELECT ?s WHERE { ?s a pol:InvestigationalStatement } ORDER BY ?s\n", encoding="utf-8")
    inferred = _csv(run("query", "--file", str(rq), "--format", "csv", store=seed_store).stdout)
    asserted = _csv(run("query", "--file", str(rq), "--format", "csv", "--asserted-only", store=seed_store).stdout)
    from explorer.ingest import parse_policy_file
    from explorer.model import statement_iris
    from tests.conftest import SEED_WEB

    number = {iri: n for n, iri in statement_iris(parse_policy_file(str(SEED_WEB))).items()}
    assert sorted(number[r["s"]] for r in inferred) == [2, 3, 4] and asserted == []


def test_queries_lists_the_catalog(seed_store):
    data = json.loads(run("queries", "--format", "json").stdout)
    names = {q["name"] for q in data}
    assert {"policies", "coverage-statements", "evidence-for-disease", "prior-authorization", "figures"} <= names
    assert all(q["description"] for q in data)


def test_reason_reports_inconsistency_with_exit_1(tmp_path, seed_web_path):
    from explorer.model import graph_iri
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    path = tmp_path / "store"
    with open_store(f"oxigraph:{path}") as store:
        ingest_paths(store, [seed_web_path])
        iri = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
        graph = store.get_graph(str(graph_iri(iri)))
        from explorer.model import POL

        statement = next(graph.subjects(POL.statementNumber, Literal(1)))  # IRIs are content keys
        mention = URIRef(f"{statement}/disease/hematologic-malignancy")
        graph.add((mention, RDF.type, URIRef("https://w3id.org/policy-explorer/vocab/disease/nonhematologic-malignancy")))
        store.replace_graph(str(graph_iri(iri)), graph)
    result = run("reason", store=f"oxigraph:{path}")
    assert result.exit_code == 1 and f"{statement}/disease/hematologic-malignancy" in result.stdout
    assert run("reason", "338", store=f"oxigraph:{path}").exit_code == 1
