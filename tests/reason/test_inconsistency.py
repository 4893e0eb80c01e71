"""Disjoint hematologic / nonhematologic malignancy: a violation is reported, not accepted."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef

from explorer.model.iris import DIS
from explorer.reason import full_closure, infer_policy, vocabulary_closure
from explorer.reason.closure import owlrl_error_messages


def _cml(seed_graph: Graph) -> URIRef:
    from tests.reason.conftest import seed_node

    return seed_node(seed_graph, "reference/5/disease/chronic-myeloid-leukemia")


def _edited(seed_graph: Graph) -> Graph:
    CML = _cml(seed_graph)
    assert (CML, RDF.type, DIS["chronic-myeloid-leukemia"]) in seed_graph
    edited = Graph()
    edited += seed_graph
    edited.add((CML, RDF.type, DIS["nonhematologic-malignancy"]))
    return edited


def test_cml_typed_nonhematologic_is_reported(seed_graph: Graph) -> None:
    CML = _cml(seed_graph)
    result = infer_policy(_edited(seed_graph))
    assert not result.consistent
    assert result.inconsistencies == (
        f"<{CML}> is both a hematologic malignancy and a nonhematologic malignancy (disjoint classes)",
    )
    assert (CML, RDF.type, DIS["hematologic-malignancy"]) in result.graph


def test_owlrl_agrees_on_the_violating_node(seed_graph: Graph) -> None:
    CML = _cml(seed_graph)
    messages = owlrl_error_messages(full_closure([_edited(seed_graph)]))
    assert any(str(CML) in m and "Disjoint" in m for m in messages)


def test_explicit_closure_argument_is_used(seed_graph: Graph) -> None:
    closure = vocabulary_closure()
    closure.remove((DIS["hematologic-malignancy"], None, DIS["nonhematologic-malignancy"]))
    closure.remove((DIS["nonhematologic-malignancy"], None, DIS["hematologic-malignancy"]))
    assert infer_policy(_edited(seed_graph), closure).consistent
    assert not infer_policy(_edited(seed_graph)).consistent  # the cached closure was not changed
