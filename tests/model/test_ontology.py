"""The ontology and vocabularies: well-formed, documented, and matching the closed Python namespace."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from explorer.model import POL, load_vocabulary_graph
from explorer.resources import ontology_dir

POL_NS = "https://w3id.org/policy-explorer/ontology#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "policy.ttl")


def _pol_terms(graph: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s)[len(POL_NS):] for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(POL_NS)}


def test_namespace_lists_exactly_the_ontology_terms(ontology):
    assert set(POL.__annotations__) == _pol_terms(ontology)


def test_namespace_is_closed():
    with pytest.raises(AttributeError):
        POL.CoverageStatment  # noqa: B018  (typo on purpose)


def test_every_term_has_label_and_comment(ontology):
    missing = [t for t in _pol_terms(ontology)
               if ontology.value(URIRef(POL_NS + t), RDFS.label) is None
               or ontology.value(URIRef(POL_NS + t), RDFS.comment) is None]
    assert missing == []


def test_issue_terms_are_modelled(ontology):
    required = ["MedicalPolicy", "CoverageStatement", "CoverageStatus", "Service", "Indication", "Criterion",
                "CriteriaGroup",
                "Disease", "PlanProduct", "LineOfBusiness", "CareSetting", "PriorAuthorizationRequirement",
                "BillingCode", "CodeSystem", "EvidenceAssessment", "ReportedFigure", "PolicyHistoryEvent",
                "Reference", "Citation", "SourceDocument", "TextSpan"]
    assert [c for c in required if (URIRef(POL_NS + c), RDF.type, OWL.Class) not in ontology] == []


def test_every_pol_term_used_in_vocabularies_is_declared(ontology):
    vocab = load_vocabulary_graph()
    used = {str(t) for triple in vocab for t in triple if isinstance(t, URIRef) and str(t).startswith(POL_NS)}
    assert {u[len(POL_NS):] for u in used} - _pol_terms(ontology) == set()


def test_disease_taxonomy_places_every_seed_disease():
    vocab = load_vocabulary_graph()
    dis = "https://w3id.org/policy-explorer/vocab/disease/"
    def ancestors(slug: str) -> set[str]:
        return {str(a)[len(dis):] for a in vocab.transitive_objects(URIRef(dis + slug), RDFS.subClassOf)}
    for slug, parent in [("chronic-myeloid-leukemia", "myeloid-malignancy"),
                         ("acute-myeloid-leukemia", "myeloid-malignancy"),
                         ("acute-lymphoblastic-leukemia", "lymphoid-malignancy"),
                         ("myelodysplastic-syndrome", "myeloid-malignancy"),
                         ("multiple-myeloma", "lymphoid-malignancy"),
                         ("hodgkin-lymphoma", "lymphoid-malignancy"),
                         ("non-hodgkin-lymphoma", "lymphoid-malignancy")]:
        assert {parent, "hematologic-malignancy"} <= ancestors(slug), slug
        assert "nonhematologic-malignancy" not in ancestors(slug)
        assert vocab.value(URIRef(dis + slug), SKOS.prefLabel) is not None
    disjoint = (URIRef(dis + "hematologic-malignancy"), OWL.disjointWith, URIRef(dis + "nonhematologic-malignancy"))
    assert disjoint in vocab
