"""The model is consistent under the standard vocabularies it reuses (issue 16, item 1).

The ontology, the SKOS vocabularies and a policy graph are loaded with the bundled axioms of PROV-O,
SKOS, Web Annotation, DCMI terms and BIBO/FaBiO/CiTO (``ontology/imports``) and closed with owlrl's
OWL 2 RL semantics: zero inconsistencies for the seed and for a real policy. Before the fix the seed
gave 12 (8 history rows both prov:Activity and prov:Entity through pol:sourceSpan; 4 code systems
both skos:Concept and skos:ConceptScheme).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV, SKOS

from explorer.ingest import parse_policy_file
from explorer.model import POL, facts_to_graph, load_imports_graph, load_vocabulary_graph
from explorer.reason.closure import owlrl_expand
from explorer.resources import ontology_dir
from tests.conftest import ROOT, SEED_WEB

REAL = ROOT / "tests" / "fixtures" / "real" / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"
BUILTIN = (str(RDF), str(RDFS), str(OWL))


def _policy_graph(path: Path) -> Graph:
    return facts_to_graph(parse_policy_file(str(path)))


def _errors(*graphs: Graph) -> list[str]:
    work = load_vocabulary_graph()
    work += load_imports_graph()
    for graph in graphs:
        work += graph
    return owlrl_expand(work)


@pytest.fixture(scope="module")
def seed() -> Graph:
    return _policy_graph(SEED_WEB)


@pytest.fixture(scope="module")
def real() -> Graph:
    return _policy_graph(REAL)


def test_seed_is_consistent_under_the_standard_vocabularies(seed: Graph) -> None:
    assert _errors(seed) == []


def test_a_real_policy_is_consistent_under_the_standard_vocabularies(real: Graph) -> None:
    assert (None, POL.hasHistoryEvent, None) in real and (None, POL.listsCode, None) in real
    assert _errors(real) == []


def test_the_imports_do_detect_a_disjointness_violation(seed: Graph) -> None:
    """Not vacuous: a history row (a prov:Activity) typed prov:Entity is reported."""
    event = next(iter(seed.objects(None, POL.hasHistoryEvent)))
    edited = Graph()
    edited += seed
    edited.add((event, RDF.type, PROV.Entity))
    errors = _errors(edited)
    assert len(errors) == 1 and str(event) in errors[0] and "Disjoint" in errors[0]


def test_code_systems_are_concept_schemes_not_concepts() -> None:
    vocab = load_vocabulary_graph()
    systems = set(vocab.subjects(RDF.type, POL.CodeSystem))
    assert len(systems) >= 4
    assert not any((s, RDF.type, SKOS.Concept) in vocab or (None, SKOS.hasTopConcept, s) in vocab for s in systems)


def test_has_status_is_not_functional() -> None:
    ontology = Graph().parse(ontology_dir() / "policy.ttl")
    assert (POL.hasStatus, RDF.type, OWL.FunctionalProperty) not in ontology


def test_every_predicate_in_use_is_declared(seed: Graph, real: Graph) -> None:
    """No undeclared predicate (OWL Full): every predicate of the ontology, the vocabularies and
    two policy graphs, other than RDF/RDFS/OWL built-ins, is declared in ontology/policy.ttl."""
    ontology = Graph().parse(ontology_dir() / "policy.ttl")
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    declared = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    used = {p for graph in (load_vocabulary_graph(), seed, real) for _, p, _ in graph}
    undeclared = sorted(str(p) for p in used - declared if not str(p).startswith(BUILTIN))
    assert undeclared == []


def test_every_property_has_one_kind() -> None:
    ontology = Graph().parse(ontology_dir() / "policy.ttl")
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    subjects = [s for kind in kinds for s in set(ontology.subjects(RDF.type, kind))]
    assert sorted(str(s) for s in subjects if subjects.count(s) > 1) == []


def test_imports_are_local_axioms_only() -> None:
    """Loading the imports never fetches: no owl:imports, only local files."""
    imports = load_imports_graph()
    assert (None, OWL.imports, None) not in imports
    assert (URIRef("http://www.w3.org/ns/prov#Activity"), OWL.disjointWith, PROV.Entity) in imports
    assert (SKOS.ConceptScheme, OWL.disjointWith, SKOS.Concept) in imports
