"""SHACL validation of policy graphs: the seed conforms; each kind of breakage is reported on the
node and property at fault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from explorer.errors import VocabularyError
from explorer.ingest import parse_policy_file
from explorer.model import POL, facts_to_graph
from explorer.model.iris import BIBO, CITO, CS, ID, OA, SETTING, STATUS
from explorer.validate import ValidationResult, load_shapes, validate_graph

P = ID["policy/bcbsma/338"]


def _seed_iris() -> tuple[URIRef, URIRef, URIRef, URIRef, URIRef]:
    """Statement 1, its span, reference 1 and the first history row: IRIs are content keys."""
    from explorer.model.iris import document_iri, span_iri
    from explorer.model.to_rdf import history_iris, reference_iris, statement_iris
    from tests.conftest import SEED_WEB

    facts = parse_policy_file(SEED_WEB)
    first = facts.statements[0]
    return (URIRef(statement_iris(facts)[first.number]), span_iri(document_iri(facts.sha256), first.span.start,
            first.span.end), reference_iris(facts)[1], history_iris(facts)[0], document_iri(facts.sha256))


STATEMENT, SPAN, REFERENCE, HISTORY, SOURCE = _seed_iris()
POSITION = URIRef(f"{SPAN};position")
PRIOR_AUTH = URIRef(f"{P}/prior-authorization/commercial-managed-care/inpatient")
CITATION = URIRef(f"{P}/citation/1")
CODE = ID["code/cpt/38242"]


def _replace(g: Graph, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def remove_status(g: Graph) -> None:
    g.remove((STATEMENT, POL.hasStatus, None))


def second_status(g: Graph) -> None:
    g.add((STATEMENT, POL.hasStatus, STATUS["investigational"]))


def status_not_in_vocabulary(g: Graph) -> None:
    _replace(g, STATEMENT, POL.hasStatus, STATUS["approved-ish"])


def end_before_start(g: Graph) -> None:
    start = g.value(POSITION, OA.start)
    assert isinstance(start, Literal)
    _replace(g, POSITION, OA.end, Literal(int(start) - 1))


def negative_start(g: Graph) -> None:
    _replace(g, POSITION, OA.start, Literal(-1))


def second_position_selector(g: Graph) -> None:
    extra = URIRef(f"{SPAN}/position-2")
    g.add((SPAN, OA.hasSelector, extra))
    g.add((extra, RDF.type, OA.TextPositionSelector))
    g.add((extra, OA.start, Literal(0)))
    g.add((extra, OA.end, Literal(5)))


def pmid_not_numeric(g: Graph) -> None:
    _replace(g, REFERENCE, BIBO.pmid, Literal("abc"))


def reference_number_zero(g: Graph) -> None:
    _replace(g, REFERENCE, POL.referenceNumber, Literal(0))


def history_date_plain_string(g: Graph) -> None:
    _replace(g, HISTORY, POL.eventDate, Literal("2019-04"))


def prior_auth_neither_flag_nor_note(g: Graph) -> None:
    g.remove((PRIOR_AUTH, POL.priorAuthorizationRequired, None))
    assert g.value(PRIOR_AUTH, POL.note) is None


def prior_auth_unknown_setting(g: Graph) -> None:
    _replace(g, PRIOR_AUTH, POL.inSetting, SETTING["moon-base"])  # no such setting in the vocabulary


def citation_to_non_reference(g: Graph) -> None:
    _replace(g, CITATION, CITO.hasCitedEntity, STATEMENT)


def cpt_code_wrong_length(g: Graph) -> None:
    _replace(g, CODE, SKOS.notation, Literal("3824"))  # passes the generic pattern, not CPT's


def reference_without_span(g: Graph) -> None:
    g.remove((REFERENCE, POL.sourceSpan, None))


def history_span_not_a_text_span(g: Graph) -> None:
    _replace(g, HISTORY, POL.sourceSpan, REFERENCE)


def citation_without_citing_sentence(g: Graph) -> None:
    g.remove((CITATION, CITO.hasCitingEntity, None))


def policy_without_title(g: Graph) -> None:
    g.remove((P, URIRef("http://purl.org/dc/terms/title"), None))


def policy_without_statements(g: Graph) -> None:
    g.remove((P, POL.hasStatement, None))


def statement_that_is_not_a_statement(g: Graph) -> None:
    _replace(g, P, POL.hasStatement, REFERENCE)


CASES: list[tuple[Callable[[Graph], None], URIRef, URIRef | None]] = [
    (remove_status, STATEMENT, POL.hasStatus),
    (second_status, STATEMENT, POL.hasStatus),
    (status_not_in_vocabulary, STATEMENT, POL.hasStatus),
    (end_before_start, SPAN, OA.hasSelector),
    (negative_start, POSITION, OA.start),
    (second_position_selector, SPAN, OA.hasSelector),
    (pmid_not_numeric, REFERENCE, BIBO.pmid),
    (reference_number_zero, REFERENCE, POL.referenceNumber),
    (history_date_plain_string, HISTORY, POL.eventDate),
    (prior_auth_neither_flag_nor_note, PRIOR_AUTH, None),
    (prior_auth_unknown_setting, PRIOR_AUTH, POL.inSetting),
    (citation_to_non_reference, CITATION, CITO.hasCitedEntity),
    (cpt_code_wrong_length, CODE, SKOS.notation),
    (reference_without_span, REFERENCE, POL.sourceSpan),
    (history_span_not_a_text_span, HISTORY, POL.sourceSpan),
    (citation_without_citing_sentence, CITATION, CITO.hasCitingEntity),
    (policy_without_title, P, URIRef("http://purl.org/dc/terms/title")),
    (statement_that_is_not_a_statement, P, POL.hasStatement),
]


def test_a_policy_whose_statements_were_not_found_conforms_with_a_warning(seed_copy: Graph) -> None:
    """An unfound fact is a warning (a damaged PDF keeps its title and dates): reported, not a violation."""
    policy_without_statements(seed_copy)
    result = validate_graph(seed_copy)
    assert result.conforms, result.text
    assert [(v.focus, v.path, v.severity) for v in result.violations] == [
        (str(P), str(POL.hasStatement), "Warning")]
    assert "No coverage statement was found" in result.text


def test_seed_conforms(seed_graph: Graph) -> None:
    result = validate_graph(seed_graph)
    assert result.conforms, result.text
    assert result.violations == ()


def test_seed_pdf_rendering_conforms(seed_pdf_path: Path) -> None:
    result = validate_graph(facts_to_graph(parse_policy_file(seed_pdf_path)))
    assert result.conforms, result.text


@pytest.mark.parametrize(("breakage", "focus", "path"), CASES, ids=[c[0].__name__ for c in CASES])
def test_breakage_is_reported_on_its_node_and_path(
    seed_copy: Graph, breakage: Callable[[Graph], None], focus: URIRef, path: URIRef | None
) -> None:
    breakage(seed_copy)
    result = validate_graph(seed_copy)
    assert not result.conforms
    found = {(v.focus, v.path) for v in result.violations}
    assert found == {(str(focus), str(path) if path is not None else None)}, result.text
    assert all(v.severity == "Violation" and v.message for v in result.violations)


def test_messages_and_values_are_specific(seed_copy: Graph) -> None:
    end_before_start(seed_copy)
    pmid_not_numeric(seed_copy)
    result = validate_graph(seed_copy)
    by_focus = {v.focus: v for v in result.violations}
    start_literal = seed_copy.value(POSITION, OA.start)
    assert isinstance(start_literal, Literal)
    start = int(start_literal)
    assert by_focus[str(SPAN)].message == f"Text span end ({start - 1}) must be greater than its start ({start})."
    assert by_focus[str(SPAN)].value == str(POSITION)
    assert by_focus[str(REFERENCE)].value == "abc"
    assert "PubMed ID" in by_focus[str(REFERENCE)].message


def test_report_text_has_one_line_per_violation(seed_copy: Graph) -> None:
    remove_status(seed_copy)
    pmid_not_numeric(seed_copy)
    result = validate_graph(seed_copy)
    header, *lines = result.text.splitlines()
    assert header == "Conforms: False (2 results)"
    assert len(lines) == len(result.violations) == 2
    assert any(line.startswith(f"{REFERENCE}  bibo:pmid  ") and line.endswith("(abc)") for line in lines)
    assert any(line.startswith(f"{STATEMENT}  pol:hasStatus  ") for line in lines)


def test_validation_is_deterministic(seed_copy: Graph) -> None:
    for breakage, _, _ in CASES:
        breakage(seed_copy)
    first, second = validate_graph(seed_copy), validate_graph(seed_copy)
    assert isinstance(first, ValidationResult)
    assert first == second
    assert list(first.violations) == sorted(
        first.violations, key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.severity)
    )


def test_input_graphs_are_not_modified(seed_copy: Graph) -> None:
    vocabulary = Graph()
    before = len(seed_copy)
    validate_graph(seed_copy, vocabulary=vocabulary)
    assert len(seed_copy) == before
    assert len(vocabulary) == 0


def test_statuses_and_settings_come_from_the_vocabulary(seed_graph: Graph) -> None:
    """Without the vocabulary, statuses and settings are not known to be concepts of their scheme."""
    result = validate_graph(seed_graph, vocabulary=Graph())
    concepts = {v.path for v in result.violations if "of the ontology" not in v.message}
    assert concepts == {str(POL.hasStatus), str(POL.inSetting), str(POL.forProduct), str(POL.publishedBy),
                        str(POL.aboutTopic), str(POL.publicationKind), str(SKOS.inScheme)}
    # and without the ontology no pol: term is known to be declared
    assert {v.focus for v in result.violations if "of the ontology" in v.message} == {str(P)}


def _default_vocabulary_with_pattern(pattern: str) -> Graph:
    from explorer.model import load_vocabulary_graph

    vocabulary = load_vocabulary_graph()
    vocabulary.remove((CS["cpt"], POL.codePattern, None))
    vocabulary.add((CS["cpt"], POL.codePattern, Literal(pattern)))
    return vocabulary


def test_code_pattern_is_read_from_the_code_system(seed_copy: Graph) -> None:
    vocabulary = Graph()
    vocabulary += _default_vocabulary_with_pattern("^9")
    result = validate_graph(seed_copy, vocabulary=vocabulary)
    code = [v for v in result.violations if v.focus == str(CODE)]
    assert [(v.path, v.value) for v in code] == [(str(SKOS.notation), "38242")]
    assert "^9" in code[0].message


def test_year_precision_history_date_conforms(seed_copy: Graph) -> None:
    _replace(seed_copy, HISTORY, POL.eventDate, Literal("2019", datatype=XSD.gYear))
    assert validate_graph(seed_copy).conforms


def test_missing_shapes_file_is_a_vocabulary_error(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="shapes file missing"):
        load_shapes(tmp_path / "nope.ttl")


def test_malformed_shapes_file_is_a_vocabulary_error(tmp_path: Path) -> None:
    bad = tmp_path / "shapes.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y", encoding="utf-8")
    with pytest.raises(VocabularyError, match="cannot parse Turtle"):
        load_shapes(bad)


def test_load_shapes_is_cached() -> None:
    assert load_shapes() is load_shapes()
