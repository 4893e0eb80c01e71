"""Criteria as a tree: list items under a statement, nested by marker style, with the logic the
document states.  Checked against what the documents say (read by hand, quoted below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.ingest import parse_policy, parse_policy_file
from explorer.ingest.criteria import logic_of, marker_style

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


def _exact(facts, criteria):
    for c in criteria:
        assert facts.text[c.span.start:c.span.end] == c.span.quote
        _exact(facts, c.items)


def test_blue_shield_ca_tumor_informed_ctdna_statement_has_its_nested_criteria():
    """I. ... medically necessary when BOTH the following are met: A. ... any of the following: 1. 2.
    B. ... any of the following: 1.-5.   II. ... investigational ... any of the following: A.-E."""
    facts = parse_policy_file(REAL / "blueshieldca-tumor-informed-ctdna-um.txt")
    mn, inv = facts.statements[0], facts.statements[1]
    assert (mn.status, mn.criteria_logic) == ("medically-necessary", "all-of")
    assert [c.logic for c in mn.criteria] == ["any-of", "any-of"]
    assert mn.criteria[0].text.startswith("Individual with stage I-IV cancer after surgical intervention")
    assert [c.text for c in mn.criteria[0].items] == [
        "Adjuvant or targeted therapy",
        "Monitoring for relapse or progression (including but not limited to the use of immunotherapy immune "
        "checkpoint inhibitors {e.g., pembrolizumab [Keytruda], ipilimumab [Yervoy], nivilumab [Opdivo]})",
    ]
    assert len(mn.criteria[1].items) == 5
    assert (inv.status, inv.criteria_logic) == ("investigational", "any-of")
    assert [c.text for c in inv.criteria][:2] == ["Pregnancy", "Active hematological malignancy"]
    _exact(facts, mn.criteria + inv.criteria)


def test_items_joined_by_and_without_a_lead_in_word_are_all_of():
    """Anthem GENE.00052, Prostate Cancer: '... HRR gene alterations; and / ... PARP inhibitor; and / ...'."""
    facts = parse_policy_file(REAL / "anthem-GENE.00052-whole-genome-exome-sequencing.txt")
    ctdna = next(s for s in facts.statements if s.text.startswith("Circulating Tumor DNA (ctDNA) Panel Testing"))
    prostate = ctdna.criteria[0]
    assert prostate.text == "Prostate Cancer:" and prostate.logic == "all-of" and len(prostate.items) == 3


def test_a_sibling_item_of_the_statements_own_style_ends_its_criteria():
    text = ("Policy Number: 1\nPolicy Statement\n"
            "I. Test X is considered medically necessary when ALL of the following are met:\n"
            "A. first criterion of test X\nB. second criterion of test X\n"
            "II. Test Y is considered investigational for all other uses of the test.\n")
    facts = parse_policy(text, "mini.txt")
    x, y = facts.statements
    assert [c.text for c in x.criteria] == ["first criterion of test X", "second criterion of test X"]
    assert x.criteria_logic == "all-of" and y.criteria == ()


@pytest.mark.parametrize(("line", "style"), [
    ("A. Individual", "UPPER."), ("1. Adjuvant", "num."), ("a) x", "lower)"), ("• item", "bullet:•"),
    ("o sub-item", "bullet:o"), ("II. The use", "ROMAN."), ("ii. x", "roman."), ("Plain text", None),
])
def test_marker_styles(line, style):
    assert marker_style(line) == style


@pytest.mark.parametrize(("lead", "logic"), [
    ("when BOTH the following are met:", "all-of"), ("when ALL of the following criteria are met:", "all-of"),
    ("for any of the following:", "any-of"), ("when ONE or more of the following:", "any-of"),
    ("when criteria A or B below are met:", "any-of"), ("the following:", None),
    ("when TWO or more of the following criteria have been met:", "at-least-2"),
    ("if at least three of the following are present:", "at-least-3"), ("at least one of the following", "any-of"),
])
def test_logic_from_the_lead_in(lead, logic):
    assert logic_of(lead) == logic


def test_at_least_n_of_the_following_round_trips_and_validates(tmp_path):
    # Anthem CG-GENE-13 prints "specific genetic testing is considered medically necessary when all of
    # the following criteria are met: 1. ... 4. ..."; the same page edited to "at least two of the
    # following" (no bundled document says at least N >= 2)
    from explorer.model import facts_to_graph, graph_to_facts, policy_iri_of
    from explorer.model.namespace import POL
    from explorer.validate import validate_graph

    name = "anthem-CG-GENE-13-genetic-testing-inherited-disease.txt"
    lead = "considered medically necessary when all of the following criteria are met: \n1. A specific mutation"
    text = (REAL / name).read_text(encoding="utf-8")
    assert text.count(lead) == 1
    edited = tmp_path / name
    edited.write_text(text.replace(lead, lead.replace("all of the", "at least two of the")), encoding="utf-8")

    def specific(facts):
        [s] = [s for s in facts.statements if "specific genetic testing is considered" in s.text]
        return s

    before, after = specific(parse_policy_file(REAL / name)), specific(facts := parse_policy_file(edited))
    assert (before.criteria_logic, after.criteria_logic) == ("all-of", "at-least-2")
    assert len(after.criteria) == len(before.criteria) == 4
    graph = facts_to_graph(facts)
    groups = list(graph.subjects(POL.minimumCount, None))
    assert len(groups) == 1 and str(graph.value(groups[0], POL.combination)) == "at-least"
    assert validate_graph(graph).conforms
    back = graph_to_facts(graph, policy_iri_of(facts))
    assert specific(back).criteria_logic == "at-least-2"
    graph.remove((groups[0], POL.minimumCount, None))  # at-least without its count does not conform
    assert not validate_graph(graph).conforms
