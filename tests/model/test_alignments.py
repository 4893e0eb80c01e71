"""Alignments (issue 16, item 10): SKOS mappings only, to FHIR Clinical Reasoning, Da Vinci CRD,
schema.org and the FHIR code system URIs; kept out of the OWL RL closure."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from explorer.model import POL, load_alignments_graph, load_vocabulary_graph
from explorer.model.iris import CS, SCHEMA, VOCAB
from explorer.reason import vocabulary_closure

EFFECT = Namespace(str(VOCAB) + "coverage-effect/")
MAPPINGS = {SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}


def test_only_skos_mapping_relations() -> None:
    alignments = load_alignments_graph()
    for s, p, o in alignments:
        if (s, RDF.type, OWL.Ontology) in alignments:
            continue
        assert p in MAPPINGS, (s, p, o)
    assert (None, OWL.equivalentClass, None) not in alignments and (None, RDFS.subClassOf, None) not in alignments


def test_every_aligned_term_exists() -> None:
    known = load_vocabulary_graph()
    alignments = load_alignments_graph()
    subjects = {s for s, p, _ in alignments if p in MAPPINGS}
    unknown = sorted(s for s in subjects if (s, None, None) not in known)
    assert subjects and unknown == []


def test_the_required_alignments() -> None:
    g = load_alignments_graph()
    assert (POL.MedicalPolicy, SKOS.closeMatch, SCHEMA.CreativeWork) in g
    assert (POL.CoverageStatement, SKOS.closeMatch, SCHEMA.MedicalGuideline) in g
    assert (POL.Service, SKOS.closeMatch, SCHEMA.MedicalTest) in g
    assert (POL.BillingCode, SKOS.closeMatch, SCHEMA.MedicalCode) in g
    assert (POL.MedicalPolicy, SKOS.closeMatch, URIRef("http://hl7.org/fhir/PlanDefinition")) in g
    assert (POL.CriteriaGroup, SKOS.closeMatch, URIRef("http://hl7.org/fhir/EvidenceVariable")) in g
    crd = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp#"
    for effect in ("covered", "not-covered", "conditional"):
        assert (EFFECT[effect], SKOS.exactMatch, URIRef(crd + effect)) in g
    for system, uri in [("cpt", "http://www.ama-assn.org/go/cpt"),
                        ("hcpcs", "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"),
                        ("icd-10-cm", "http://hl7.org/fhir/sid/icd-10-cm"),
                        ("icd-10-pcs", "http://www.cms.gov/Medicare/Coding/ICD10")]:
        assert (CS[system], SKOS.exactMatch, URIRef(uri)) in g


def test_alignments_stay_out_of_the_reasoning_closure() -> None:
    closure: Graph = vocabulary_closure()
    assert (POL.MedicalPolicy, SKOS.closeMatch, SCHEMA.CreativeWork) not in closure
    assert not any(str(o).startswith("http://hl7.org/fhir/") for o in closure.objects())


def test_each_status_means_one_coverage_effect_in_data() -> None:
    """Statuses map to the CRD coverage effect by skos:broadMatch in data/vocab (not in code), and the
    mapping agrees with each status's pol:isCovered."""
    from explorer.model.vocabulary import coverage_effect

    vocabulary = load_vocabulary_graph()
    statuses = list(vocabulary.subjects(SKOS.inScheme, VOCAB["statuses"]))
    assert len(statuses) >= 5
    for status in statuses:
        effects = [e for e in vocabulary.objects(status, SKOS.broadMatch)
                   if (e, SKOS.inScheme, VOCAB["coverage-effects"]) in vocabulary]
        assert len(effects) == 1, status
        covered = vocabulary.value(status, POL.isCovered).toPython()
        assert coverage_effect(str(status).rsplit("/", 1)[-1]) == ("covered" if covered else "not-covered")
    assert coverage_effect("medically-necessary") == "covered"
    assert coverage_effect("investigational") == "not-covered"
    assert coverage_effect("no-such-status") is None
