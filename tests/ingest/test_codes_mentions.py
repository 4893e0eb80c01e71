"""Codes named in prose are mentions, kept apart from the codes a policy lists (issue 13 item 3).

Checked against what the real documents print (tests/fixtures/real); statement numbers are not
hard-coded, statements are found by their words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from explorer.ingest import parse_policy, parse_policy_file
from explorer.ingest.facts import CodeMention, Criterion, PolicyFacts, Statement
from explorer.model.from_rdf import graph_to_facts
from explorer.model.iris import code_iri
from explorer.model.namespace import POL
from explorer.model.to_rdf import facts_to_graph, policy_iri_of, statement_iris
from explorer.validate import validate_graph

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


WELLCARE = REAL / "wellcare-concert-ctdna-liquid-biopsy.txt"
KAISER = REAL / "kaiser-wa-genetic-screening-testing.txt"


@pytest.fixture(scope="module")
def wellcare(parsed: Callable[[str], PolicyFacts]) -> PolicyFacts:
    return parsed(WELLCARE.name)


@pytest.fixture(scope="module")
def kaiser(parsed: Callable[[str], PolicyFacts]) -> PolicyFacts:
    return parsed(KAISER.name)


@pytest.fixture(scope="module")
def blueshield(parsed: Callable[[str], PolicyFacts]) -> PolicyFacts:
    return parsed("blueshieldca-BSC_CON_2.04-molecular-analysis-tumors.txt")


def _statement(facts: PolicyFacts, words: str) -> Statement:
    return next(s for s in facts.statements if " ".join(s.text.split()).startswith(words))


def _mentions(facts: PolicyFacts, statement: Statement) -> list[CodeMention]:
    return [m for m in facts.code_mentions if m.statement == statement.number and not m.criterion]


def test_a_pla_code_in_a_statement_sentence_is_a_mention_of_that_statement(wellcare):
    # "Broad molecular profiling panel tests via circulating tumor DNA (liquid biopsy) (0239U, 0242U,
    #  0326U , 81445, ...) are considered investigational for all other indications"
    statement = _statement(wellcare, "Broad molecular profiling panel tests via circulating tumor DNA")
    named = [m.code for m in _mentions(wellcare, statement)]
    assert named[:3] == ["0239U", "0242U", "0326U"]
    first = _mentions(wellcare, statement)[0]
    assert first.span.quote == "0239U" and wellcare.text[first.span.start:first.span.end] == "0239U"
    assert statement.span.start <= first.span.start < first.span.end <= statement.span.end


def test_codes_only_in_a_running_sentence_are_mentions_not_codes_of_the_policy(kaiser):
    # "2) Chromosomal microarray testing (CPT 81228, 81229) may be considered medically necessary ..."
    # the gold leaves 81228/81229 out of the code list: they occur only inside that sentence
    statement = _statement(kaiser, "2) Chromosomal microarray testing (CPT 81228, 81229)")
    assert [m.code for m in _mentions(kaiser, statement)] == ["81228", "81229"]
    listed = {c.code for c in kaiser.codes}
    assert not {"81228", "81229"} & listed
    assert {"81381", "81336", "81337"} <= listed | {"81336", "81337"}  # grid labels stay codes
    assert "81381" in listed  # "Abacavir HLA-B*5701 / CPT 81381": a grid cell's label, a code


def test_a_criterion_keeps_its_own_mentions(blueshield):
    in_criteria = [m for m in blueshield.code_mentions if m.criterion]
    assert in_criteria
    for m in in_criteria:
        criterion = _criterion(_by_number(blueshield, m.statement).criteria, m.criterion)
        assert criterion.span.start <= m.span.start and m.span.end <= criterion.span.end
        assert m.code in blueshield.text[criterion.span.start:criterion.span.end]


def test_protein_names_in_a_code_description_are_not_icd_codes():
    # Anthem LAB.00015 describes 0xxxU as "... differential CD138, CD38, D19, and CD45 protein
    # biomarker expression"; Molina MCP-051 "(p16, AMACR, p53, CD68, COX-2, CD45RO, HIF1a, HER-2, K20)"
    anthem = parse_policy_file(REAL / "anthem-LAB.00015-circulating-tumor-cells.txt")
    molina = parse_policy_file(REAL / "molina-MCP-051-genetic-testing.2026-03-22.txt")
    assert "D19" not in {c.code for c in anthem.codes} and "K20" not in {c.code for c in molina.codes}
    assert {c.code for c in anthem.codes} >= {"0091U", "0337U", "0338U"}  # the listed codes stay
    assert all(m.code not in {"D19", "K20"} for f in (anthem, molina) for m in f.code_mentions)


def test_a_parenthesis_of_codes_is_a_list_of_mentions(blueshield):
    # "... RNA specific fusion panels (81449) ..." and "(81206, 81207, 81208, 81219, 81270, ...)"
    named = {m.code for m in blueshield.code_mentions}
    assert {"81449", "81206", "81207", "81208", "81261", "81262"} <= named


def test_numbers_and_gene_names_in_prose_are_not_mentions():
    """An edited copy of WellCare's statement: a count of patients and a gene name (P53, a valid
    ICD-10-CM category too) are no codes; the codes in the parenthesis still are."""
    text = (REAL / "wellcare-concert-ctdna-liquid-biopsy.txt").read_text(encoding="utf-8")
    anchor = "Broad molecular profiling panel tests via circulating tumor DNA (liquid biopsy)"
    assert text.count(anchor) >= 1
    edited = text.replace(anchor, anchor + " studied in 24000 patients with P53 variants", 1)
    facts = parse_policy(edited, "edited.txt")
    statement = _statement(facts, anchor + " studied in 24000 patients")
    named = [m.code for m in _mentions(facts, statement)]
    assert "24000" not in named and "P53" not in named
    assert named[:2] == ["0239U", "0242U"]


def test_mentions_round_trip_through_rdf_and_validate(wellcare, kaiser, real_validation):
    for facts, path in ((wellcare, WELLCARE), (kaiser, KAISER)):
        graph = facts_to_graph(facts)
        back = graph_to_facts(graph, policy_iri_of(facts))
        assert back.code_mentions == facts.code_mentions
        assert real_validation(path).conforms   # validate_graph(facts_to_graph(facts)), once a session
    statement = _statement(kaiser, "2) Chromosomal microarray testing")
    node = URIRef(statement_iris(kaiser)[statement.number])
    assert (node, POL.mentionsCode, code_iri("CPT", "81228")) in facts_to_graph(kaiser)
    # a mention is not a listing: the policy does not pol:listsCode it
    graph = facts_to_graph(kaiser)
    assert (policy_iri_of(kaiser), POL.listsCode, code_iri("CPT", "81228")) not in graph
    graph.remove((code_iri("CPT", "81228"), SKOS.notation, None))  # the shapes see a mention of no code
    assert not validate_graph(graph).conforms


def _by_number(facts: PolicyFacts, number: int) -> Statement:
    return next(s for s in facts.statements if s.number == number)


def _criterion(criteria: tuple[Criterion, ...], path: tuple[int, ...]) -> Criterion:
    found = criteria[path[0] - 1]
    return found if len(path) == 1 else _criterion(found.items, path[1:])
