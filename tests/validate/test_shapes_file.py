"""The shapes file itself: targets are real ontology classes, every shape explains itself, and
loading it fetches nothing."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from explorer.model.iris import OA, PREFIXES
from explorer.resources import ontology_dir
from explorer.validate import load_shapes, shape_target_classes

POL_NS = PREFIXES["pol"]
EXPECTED_POL_TARGETS = {
    "MedicalPolicy",
    "CoverageStatement",
    "TextSpan",
    "PriorAuthorizationRequirement",
    "BillingCode",
    "Reference",
    "PolicyHistoryEvent",
    "Citation",
}


def _ontology() -> Graph:
    return Graph().parse(ontology_dir() / "policy.ttl", format="turtle")


def test_every_pol_target_class_exists_in_the_ontology() -> None:
    declared = set(_ontology().subjects(RDF.type, OWL.Class))
    targets = {c for c in shape_target_classes() if str(c).startswith(POL_NS)}
    assert targets, "no pol: target classes found"
    assert targets <= declared, sorted(targets - declared)


def test_the_required_classes_are_targeted() -> None:
    targets = shape_target_classes()
    assert {URIRef(POL_NS + name) for name in EXPECTED_POL_TARGETS} <= targets
    assert {OA.TextPositionSelector, OA.TextQuoteSelector} <= targets


def test_every_shape_explains_itself() -> None:
    shapes = load_shapes()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property))
    assert node_shapes and property_shapes
    for shape in node_shapes:
        assert shapes.value(shape, RDFS.comment) is not None or shapes.value(shape, SH.message) is not None, shape
    for shape in property_shapes:
        assert shapes.value(shape, SH.message) is not None, shapes.value(shape, SH.path)
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None


def test_every_shape_iri_is_a_node_shape_with_a_target() -> None:
    shapes = load_shapes()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        assert any(shapes.value(shape, t) is not None for t in targets), shape


def test_shapes_import_nothing() -> None:
    assert not list(load_shapes().triples((None, OWL.imports, None)))
