"""The shapes for named tests, laboratories, place-of-service codes and product payers (issue 16
item 9): a real policy with named tests conforms, and each corruption is caught on its node."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from explorer.ingest.facts import PolicyFacts
from explorer.model import POL, facts_to_graph
from explorer.model.iris import PAYER, PROD, SETTING, STATUS
from explorer.model.named_tests_rdf import named_test_iri
from explorer.model.to_rdf import policy_iri_of
from explorer.validate import ValidationResult, validate_graph
from tests.conftest import ROOT

REAL = ROOT / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def geisinger(real_facts: Callable[[Path], PolicyFacts]) -> tuple[URIRef, Graph]:
    facts = real_facts(REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt")
    return policy_iri_of(facts), facts_to_graph(facts)


@pytest.fixture()
def g(geisinger: tuple[URIRef, Graph]) -> Graph:
    copy = Graph()
    copy += geisinger[1]
    return copy


@pytest.fixture()
def test_node(geisinger: tuple[URIRef, Graph]) -> URIRef:
    return named_test_iri(geisinger[0], "0364U")


def _fails_on(g: Graph, focus: URIRef, path: URIRef | None) -> ValidationResult:
    result = validate_graph(g)
    assert not result.conforms
    assert (str(focus), None if path is None else str(path)) in {(v.focus, v.path) for v in result.violations}, (
        result.text)
    return result


@pytest.mark.parametrize("name", ["wellcare-concert-ctdna-liquid-biopsy.txt",
                                  "anthem-CG-GENE-13-genetic-testing-inherited-disease.txt"])
def test_policies_with_named_tests_conform(name: str, real_facts: Callable[[Path], PolicyFacts],
                                           real_validation: Callable[[Path], ValidationResult]) -> None:
    graph = facts_to_graph(real_facts(REAL / name))
    assert (None, RDF.type, POL.NamedTest) in graph
    result = real_validation(REAL / name)   # validate_graph(graph), once a session
    assert result.conforms, result.text


def test_geisinger_conforms(g: Graph) -> None:
    result = validate_graph(g)
    assert result.conforms, result.text


def test_a_named_test_without_its_span(g: Graph, test_node: URIRef) -> None:
    g.remove((test_node, POL.sourceSpan, None))
    _fails_on(g, test_node, POL.sourceSpan)


def test_a_pla_code_that_is_not_one(g: Graph, test_node: URIRef) -> None:
    code = g.value(test_node, POL.plaCode)
    assert isinstance(code, URIRef)
    g.remove((code, SKOS.notation, None))
    g.add((code, SKOS.notation, Literal("81479")))
    _fails_on(g, test_node, POL.plaCode)


def test_a_named_test_with_two_names(g: Graph, test_node: URIRef) -> None:
    g.add((test_node, POL.testName, Literal("clonoSEQ Assay")))
    _fails_on(g, test_node, POL.testName)


def test_a_laboratory_with_neither_registry_nor_name(g: Graph, test_node: URIRef) -> None:
    nameless = URIRef("https://w3id.org/policy-explorer/id/organization/nameless")
    g.add((test_node, POL.performedBy, nameless))
    _fails_on(g, nameless, None)


def test_a_malformed_place_of_service_code(g: Graph) -> None:
    g.add((SETTING["office"], POL.placeOfServiceCode, Literal("1A")))
    _fails_on(g, SETTING["office"], POL.placeOfServiceCode)


def test_a_product_offered_by_what_is_not_a_payer(g: Graph) -> None:
    g.add((PROD["medicare-ppo-blue"], POL.offeredBy, STATUS["investigational"]))
    _fails_on(g, PROD["medicare-ppo-blue"], POL.offeredBy)
    assert (PROD["medicare-ppo-blue"], POL.offeredBy, PAYER["bcbsma"]) not in g  # the vocabulary's is apart
