"""Named tests in the graph (issue 16 item 9): a pol:NamedTest (a service, a schema:MedicalTest
under the reasoner) with its printed name, PLA code, laboratory and span; statements naming it link
to it; the facts round-trip; ``show --format json`` carries them as ``named_tests``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts
from explorer.model.from_rdf import graph_to_facts
from explorer.model.iris import SCHEMA, code_iri
from explorer.model.named_tests_rdf import LAB, ORGANIZATION, named_test_iri
from explorer.model.namespace import POL
from explorer.model.to_rdf import facts_to_graph, policy_iri_of
from tests.cliutil import run

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
GEISINGER = REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"
WELLCARE = REAL / "wellcare-concert-ctdna-liquid-biopsy.txt"


@pytest.fixture(scope="module")
def geisinger() -> tuple[PolicyFacts, Graph]:
    facts = parse_policy_file(GEISINGER)
    return facts, facts_to_graph(facts)


def test_a_named_test_is_a_service_with_name_code_and_span(geisinger: tuple[PolicyFacts, Graph]) -> None:
    facts, graph = geisinger
    policy = policy_iri_of(facts)
    node = named_test_iri(policy, "0364U")
    assert (policy, POL.namesTest, node) in graph
    assert (node, RDF.type, POL.NamedTest) in graph
    assert graph.value(node, POL.testName) == Literal("clonoSeq")
    assert graph.value(node, POL.plaCode) == code_iri("CPT", "0364U")
    span = graph.value(node, POL.sourceSpan)
    assert span is not None and str(span).endswith(
        f"#char={facts.text.index('{clonoSeq}') + 1},{facts.text.index('{clonoSeq}') + 9}")


def test_registry_laboratory_is_its_concept(geisinger: tuple[PolicyFacts, Graph]) -> None:
    facts, graph = geisinger
    signatera = named_test_iri(policy_iri_of(facts), "0340U")
    assert graph.value(signatera, POL.performedBy) == LAB["natera"]  # "Signatera (Natera) 0340U"
    assert graph.value(named_test_iri(policy_iri_of(facts), "0569U"), POL.performedBy) is None  # none printed


def test_a_laboratory_the_registry_does_not_know_is_an_organisation_with_its_name() -> None:
    facts = parse_policy_file(WELLCARE)
    graph = facts_to_graph(facts)
    lab = graph.value(named_test_iri(policy_iri_of(facts), "0409U"), POL.performedBy)  # "(Lucence Health)"
    assert lab == ORGANIZATION["lucence-health"]
    assert (lab, RDF.type, POL.Laboratory) in graph and graph.value(lab, RDFS.label) == Literal("Lucence Health")
    assert graph_to_facts(graph, policy_iri_of(facts)).named_tests == facts.named_tests


def test_statements_naming_a_test_link_to_it(geisinger: tuple[PolicyFacts, Graph]) -> None:
    facts, graph = geisinger
    linked = {(str(s), str(o)) for s, o in graph.subject_objects(POL.namesTest) if "/statement/" in str(s)}
    clonoseq = next(str(s) for s in graph.subjects(POL.text, None)
                    if "(e.g., clonoSEQ)" in str(graph.value(s, POL.text)) and "/statement/" in str(s))
    assert (clonoseq, str(named_test_iri(policy_iri_of(facts), "0364U"))) in linked
    # a named test is not the statement's service: each statement keeps exactly one pol:aboutService
    for statement in graph.objects(policy_iri_of(facts), POL.hasStatement):
        assert len(list(graph.objects(statement, POL.aboutService))) == 1


def test_named_tests_round_trip(geisinger: tuple[PolicyFacts, Graph]) -> None:
    facts, graph = geisinger
    assert len(facts.named_tests) >= 10
    assert graph_to_facts(graph, policy_iri_of(facts)).named_tests == facts.named_tests


def test_the_reasoner_makes_a_named_test_a_service_and_a_medical_test(geisinger: tuple[PolicyFacts, Graph]) -> None:
    from explorer.reason import infer_policy, vocabulary_closure

    facts, graph = geisinger
    union = graph + infer_policy(graph).graph + vocabulary_closure()
    node = named_test_iri(policy_iri_of(facts), "0569U")
    for kind in (POL.Service, SCHEMA.MedicalTest):
        assert (node, RDF.type, kind) in union, kind
    assert (LAB["natera"], RDF.type, SCHEMA.Organization) in union


def test_show_json_carries_named_tests(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    assert run("ingest", str(GEISINGER), "--no-reason", store=store).exit_code == 0
    listed = json.loads(run("list", "--format", "json", store=store).stdout)
    number = listed[0]["number"] if isinstance(listed, list) else next(iter(listed))
    shown = json.loads(run("show", str(number), "--format", "json", store=store).stdout)
    tests = {t["code"]: t for t in shown["named_tests"]}
    assert tests["0569U"]["name"] == "Guardant Reveal" and tests["0340U"]["lab"] == "Natera"
    text = GEISINGER.read_text(encoding="utf-8")
    source = tests["0569U"]["source"]
    assert text[source["start"]:source["end"]] == source["quote"] == "Guardant Reveal"
    assert URIRef(shown["policy"]["iri"])


def test_named_tests_and_laboratories_are_aligned_to_schema_org() -> None:
    from rdflib.namespace import SKOS

    from explorer.model import load_alignments_graph

    alignments = load_alignments_graph()
    assert (POL.NamedTest, SKOS.closeMatch, SCHEMA.MedicalTest) in alignments
    assert (POL.Laboratory, SKOS.closeMatch, SCHEMA.Organization) in alignments
