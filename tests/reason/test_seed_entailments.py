"""What the ontology's axioms entail for the seed policy (bcbsma 338)."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef

from explorer.model import POL
from explorer.model.iris import CITO, DIS, SCHEMA, STATUS
from explorer.reason import Inference

POLICY = URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338")


def _node(tail: str) -> URIRef:
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph
    from tests.conftest import SEED_WEB
    from tests.reason.conftest import seed_node

    global _SEED
    if _SEED is None:
        _SEED = facts_to_graph(parse_policy_file(str(SEED_WEB)))
    return seed_node(_SEED, tail)


_SEED: Graph | None = None


def test_disease_hierarchy_types_every_cml_mention(seed_graph: Graph, seed_inference: Inference) -> None:
    cml = sorted(seed_graph.subjects(RDF.type, DIS["chronic-myeloid-leukemia"]))
    assert _node("reference/5/disease/chronic-myeloid-leukemia") in cml
    for mention in cml:
        for cls in ("myeloid-leukemia", "myeloid-malignancy", "leukemia", "hematologic-malignancy", "malignancy"):
            assert (mention, RDF.type, DIS[cls]) in seed_inference.graph, (mention, cls)
        assert (mention, RDF.type, POL.Disease) in seed_inference.graph
        assert (mention, RDF.type, SCHEMA.MedicalCondition) in seed_inference.graph
        assert (mention, RDF.type, DIS["nonhematologic-malignancy"]) not in seed_inference.graph


def test_statement_one_disease_mention_is_a_malignancy(seed_inference: Inference) -> None:
    mention = _node("statement/1/disease/hematologic-malignancy")
    assert (mention, RDF.type, DIS.malignancy) in seed_inference.graph
    assert (mention, RDF.type, DIS["lymphoid-malignancy"]) not in seed_inference.graph  # no downward typing


def test_statement_classes_defined_by_status(seed_graph: Graph, seed_inference: Inference) -> None:
    investigational = set(seed_graph.subjects(POL.hasStatus, STATUS.investigational))
    necessary = set(seed_graph.subjects(POL.hasStatus, STATUS["medically-necessary"]))
    assert investigational == {_node(f"statement/{n}") for n in (2, 3, 4)}
    assert necessary == {_node("statement/1")}
    inferred = seed_inference.graph
    assert set(inferred.subjects(RDF.type, POL.InvestigationalStatement)) == investigational
    assert set(inferred.subjects(RDF.type, POL.MedicallyNecessaryStatement)) == necessary
    assert not set(inferred.subjects(RDF.type, POL.NotMedicallyNecessaryStatement))


def test_inverse_properties(seed_graph: Graph, seed_inference: Inference) -> None:
    inferred = seed_inference.graph
    for statement in seed_graph.objects(POLICY, POL.hasStatement):
        assert (statement, POL.statementOf, POLICY) in inferred
    references = list(seed_graph.objects(POLICY, POL.hasReference))
    assert len(references) >= 20
    for reference in references:
        assert (reference, POL.referenceOf, POLICY) in inferred
    cited = list(seed_graph.objects(POLICY, CITO.citesAsEvidence))
    assert len(cited) >= 20
    for publication in cited:  # cito:citesAsEvidence is a sub-property of cito:cites
        assert (POLICY, CITO.cites, publication) in inferred
        assert (publication, CITO.isCitedBy, POLICY) in inferred
    for owner, mention in seed_graph.subject_objects(POL.mentionsDisease):
        assert (mention, POL.mentionedBy, owner) in inferred


def test_no_asserted_or_vocabulary_triple_is_repeated(
    seed_graph: Graph, closure: Graph, seed_inference: Inference
) -> None:
    assert len(seed_inference.graph) > 500
    assert not [t for t in seed_inference.graph if t in seed_graph]
    assert not [t for t in seed_inference.graph if t in closure]


def test_seed_is_consistent_and_uses_the_fast_path(seed_inference: Inference) -> None:
    assert seed_inference.inconsistencies == ()
    assert seed_inference.engine == "rules"
