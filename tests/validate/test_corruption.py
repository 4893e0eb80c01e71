"""Corrupted graphs do not conform (issue 16, item 3): one test per corruption, on the seed's graph
and on a real policy's (``tests/fixtures/real``). Before this, ``validate`` accepted each of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from explorer.exporting import export
from explorer.ingest import parse_policy_file
from explorer.model import POL, facts_to_graph
from explorer.model.iris import OA, PROD, STATUS
from explorer.pipeline import ingest_paths
from explorer.reason import infer_policy
from explorer.store import open_store
from explorer.validate import ValidationResult, validate_graph
from tests.conftest import ROOT, SEED_WEB

REAL = ROOT / "tests" / "fixtures" / "real" / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"


@pytest.fixture(scope="module", params=[SEED_WEB, REAL], ids=["seed", "real"])
def policy_graph(request: pytest.FixtureRequest) -> Graph:
    return facts_to_graph(parse_policy_file(str(request.param)))


@pytest.fixture()
def g(policy_graph: Graph) -> Graph:
    copy = Graph()
    copy += policy_graph
    return copy


def _policy(g: Graph) -> URIRef:
    return next(s for s in g.subjects(RDF.type, POL.MedicalPolicy) if isinstance(s, URIRef))


def _statement(g: Graph) -> URIRef:
    return min((s for s in g.objects(_policy(g), POL.hasStatement) if isinstance(s, URIRef)), key=str)


def _span(g: Graph, fact: URIRef) -> URIRef:
    span = g.value(fact, POL.sourceSpan)
    assert isinstance(span, URIRef)
    return span


def _selector(g: Graph, span: URIRef, kind: URIRef) -> URIRef:
    return next(s for s in g.objects(span, OA.hasSelector) if (s, RDF.type, kind) in g)


def _replace(g: Graph, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def _fails(g: Graph, focus: URIRef | None = None, path: URIRef | None = None) -> ValidationResult:
    result = validate_graph(g)
    assert not result.conforms
    if focus is not None:
        assert (str(focus), None if path is None else str(path)) in {(v.focus, v.path) for v in result.violations}, (
            result.text
        )
    return result


def test_uncorrupted_graph_conforms(g: Graph) -> None:
    result = validate_graph(g)
    assert result.conforms, result.text


def test_shifted_offsets_no_longer_match_the_quote(g: Graph) -> None:
    span = _span(g, _statement(g))
    position = _selector(g, span, OA.TextPositionSelector)
    for p in (OA.start, OA.end):
        _replace(g, position, p, Literal(int(g.value(position, p)) + 3))  # type: ignore[arg-type]
    result = _fails(g, span, OA.hasSelector)
    assert any("does not match" in v.message for v in result.violations)


def test_end_beyond_the_text(g: Graph) -> None:
    span = _span(g, _statement(g))
    position = _selector(g, span, OA.TextPositionSelector)
    length = len(str(g.value(g.value(_policy(g), POL.sourceDocument), POL.documentText)))
    _replace(g, position, OA.end, Literal(length + 10))
    result = _fails(g, span, OA.hasSelector)
    assert any("beyond the end" in v.message for v in result.violations)


def test_span_whose_source_is_another_document(g: Graph) -> None:
    other = URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/999/source")
    g.add((other, RDF.type, POL.SourceDocument))  # even a well-formed document that is not this policy's
    g.add((other, POL.documentText, Literal(str(g.value(g.value(_policy(g), POL.sourceDocument), POL.documentText)))))
    span = _span(g, _statement(g))
    _replace(g, span, OA.hasSource, other)
    result = _fails(g, span, OA.hasSource)
    assert any("not the source document" in v.message for v in result.violations)


def test_status_label_contradicting_the_status(g: Graph) -> None:
    statement = _statement(g)
    status = g.value(statement, POL.hasStatus)
    wrong = "INVESTIGATIONAL" if status != STATUS["investigational"] else "MEDICALLY NECESSARY"
    _replace(g, statement, POL.statusLabel, Literal(wrong))
    _fails(g, statement, POL.statusLabel)


def test_payer_wording_of_the_same_status_is_not_a_contradiction(g: Graph) -> None:
    statement = _statement(g)
    _replace(g, statement, POL.hasStatus, STATUS["investigational"])
    _replace(g, statement, POL.statusLabel, Literal("experimental/investigational"))
    assert validate_graph(g).conforms


def test_unknown_product(g: Graph) -> None:
    requirement = URIRef(f"{_policy(g)}/prior-authorization/x/inpatient")
    g.add((_policy(g), POL.hasPriorAuthorization, requirement))
    g.add((requirement, RDF.type, POL.PriorAuthorizationRequirement))
    g.add((requirement, POL.forProduct, PROD["gold-plated-ppo"]))
    g.add((requirement, POL.inSetting, URIRef("https://w3id.org/policy-explorer/vocab/setting/inpatient")))
    g.add((requirement, POL.priorAuthorizationRequired, Literal(True)))
    g.add((requirement, POL.sourceSpan, _span(g, _statement(g))))
    g.add((PROD["gold-plated-ppo"], RDF.type, POL.PlanProduct))  # typing does not make it a vocabulary product
    _fails(g, requirement, POL.forProduct)


def test_vocabulary_membership_is_not_faked_by_inference(g: Graph) -> None:
    """rdfs:range makes any pol:hasStatus value a pol:CoverageStatus; skos:inScheme is not inferred."""
    statement = _statement(g)
    _replace(g, statement, POL.hasStatus, STATUS["approved-ish"])
    g += infer_policy(g).graph
    assert (STATUS["approved-ish"], RDF.type, POL.CoverageStatus) in g
    _fails(g, statement, POL.hasStatus)


def test_sha256_not_64_hex_digits(g: Graph) -> None:
    source = g.value(_policy(g), POL.sourceDocument)
    assert isinstance(source, URIRef)
    _replace(g, source, POL.sha256, Literal("abc123"))
    _fails(g, source, POL.sha256)


def test_a_fact_that_is_no_part_of_the_version(g: Graph) -> None:
    # the facts hang off the version they were read from (dcterms:hasPart); a statement left
    # hanging off the policy alone does not conform
    from rdflib.namespace import DCTERMS

    statement = _statement(g)
    [version] = list(g.objects(_policy(g), DCTERMS.hasVersion))
    assert (version, DCTERMS.hasPart, statement) in g
    g.remove((version, DCTERMS.hasPart, statement))
    result = _fails(g, _policy(g))
    assert any("not a part" in v.message for v in result.violations)


def test_misspelt_predicate(g: Graph) -> None:
    statement = _statement(g)
    status = g.value(statement, POL.hasStatus)
    g.add((statement, URIRef(str(POL) + "hasStaus"), status))  # type: ignore[arg-type]
    result = _fails(g, _policy(g), URIRef(str(POL) + "hasStaus"))
    assert any("not a term of the ontology" in v.message for v in result.violations)


def test_misspelt_class(g: Graph) -> None:
    g.add((_statement(g), RDF.type, URIRef(str(POL) + "CoverageStatment")))
    _fails(g, _policy(g), RDF.type)


@pytest.mark.parametrize("kind", [POL.Indication, POL.Section, POL.CoverageStatement, POL.PolicyHistoryEvent])
def test_fact_with_text_without_span(g: Graph, kind: URIRef) -> None:
    facts = sorted((s for s in g.subjects(RDF.type, kind) if (s, POL.sourceSpan, None) in g), key=str)
    if not facts:
        pytest.skip(f"no {kind} in this policy")
    g.remove((facts[0], POL.sourceSpan, None))
    _fails(g, facts[0], POL.sourceSpan)


@pytest.fixture(scope="module")
def seed_store() -> Iterator[object]:
    store = open_store("memory:")
    assert ingest_paths(store, [SEED_WEB]).ok
    yield store
    store.close()


@pytest.mark.parametrize("inferred", [False, True], ids=["asserted", "with-inferred"])
def test_an_export_validates_on_its_own(seed_store: object, inferred: bool) -> None:
    """A TriG export with --vocabulary carries what validation needs: no other vocabulary given."""
    text = export(seed_store, "trig", policy="338", vocabulary=True, inferred=inferred).files[0].text
    union = Graph()
    for graph in Dataset().parse(data=text, format="trig").graphs():
        union += graph
    result = validate_graph(union, vocabulary=Graph())
    assert result.conforms, result.text
