"""The per-policy reasoning gives exactly owlrl's instance-level entailments of the full closure."""

from __future__ import annotations

from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from explorer.model import POL
from explorer.model.iris import STATUS
from explorer.reason import Inference, infer_policy, instance_entailments, is_instance_triple
from explorer.reason.infer import _default_tbox, _infer_with_owlrl

X = URIRef("https://w3id.org/policy-explorer/id/policy/x/1/statement/1")


def _reference(full: Graph, asserted: Graph, closure: Graph) -> set[tuple]:
    """owlrl full closure - vocabulary closure - asserted, through the same filter."""
    return set(instance_entailments(full, asserted, closure))


def test_rules_equal_owlrl_full_closure_on_seed(
    seed_graph: Graph, closure: Graph, seed_inference: Inference, seed_full_closure: Graph
) -> None:
    expected = _reference(seed_full_closure, seed_graph, closure)
    got = set(seed_inference.graph)
    assert got - expected == set()
    assert expected - got == set()
    assert len(got) > 500


def test_owlrl_path_equals_full_closure_on_seed(
    seed_graph: Graph, closure: Graph, seed_inference: Inference, seed_full_closure: Graph
) -> None:
    via_owlrl = _infer_with_owlrl(seed_graph, closure, _default_tbox())
    assert via_owlrl.engine == "owlrl"
    assert set(via_owlrl.graph) == _reference(seed_full_closure, seed_graph, closure)
    assert isomorphic(via_owlrl.graph, seed_inference.graph)


def test_reinferring_is_deterministic(seed_graph: Graph, seed_inference: Inference) -> None:
    again = infer_policy(seed_graph)
    assert isomorphic(again.graph, seed_inference.graph)
    assert again.inconsistencies == seed_inference.inconsistencies


def test_two_statuses_are_not_equated(seed_graph: Graph) -> None:
    """pol:hasStatus is not functional: a sentence with two statuses gets both classes, and the
    two status concepts are never made owl:sameAs (issue 16, item 1)."""
    edited = Graph()
    edited += seed_graph
    statement = next(s for s, n in seed_graph.subject_objects(POL.statementNumber) if int(n) == 1)
    edited.add((statement, POL.hasStatus, STATUS.investigational))
    result = infer_policy(edited)
    assert result.engine == "rules" and result.consistent
    assert (statement, RDF.type, POL.InvestigationalStatement) in result.graph
    assert (statement, RDF.type, POL.MedicallyNecessaryStatement) in result.graph
    assert not any(p == OWL.sameAs for _, p, _ in result.graph)


def test_functional_conflict_falls_back_to_owlrl(seed_graph: Graph, closure: Graph) -> None:
    functional = Graph()
    functional += closure
    functional.add((POL.hasStatus, RDF.type, OWL.FunctionalProperty))
    edited = Graph()
    edited += seed_graph
    statement = next(s for s, n in seed_graph.subject_objects(POL.statementNumber) if int(n) == 1)
    edited.add((statement, POL.hasStatus, STATUS.investigational))
    result = infer_policy(edited, functional)
    assert result.engine == "owlrl"
    assert any(str(statement) in m and "functional" in m for m in result.inconsistencies)
    assert (statement, RDF.type, POL.InvestigationalStatement) in result.graph


def test_filter_drops_owlrl_noise_and_keeps_instance_triples() -> None:
    assert not is_instance_triple((X, OWL.sameAs, X))
    assert not is_instance_triple((X, RDF.type, OWL.Thing))
    assert not is_instance_triple((Literal(3), RDF.type, URIRef("http://www.w3.org/2001/XMLSchema#integer")))
    assert not is_instance_triple((X, RDF.type, BNode()))
    assert not is_instance_triple((URIRef("http://www.w3.org/2001/XMLSchema#anyURI"), OWL.disjointWith, X))
    assert is_instance_triple((X, RDF.type, POL.InvestigationalStatement))
    assert is_instance_triple((X, POL.statementOf, URIRef("https://w3id.org/policy-explorer/id/policy/x/1")))
    assert is_instance_triple((X, URIRef("https://schema.org/minValue"), Literal(40)))
