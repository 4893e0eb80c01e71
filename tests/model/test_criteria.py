"""Criteria in the model (issue 16, item 9): a statement's criteria as a group with its combination
(all-of / any-of) and ordered members, each criterion with its text, span and nested criteria;
facts -> RDF -> facts is lossless, the graph conforms to the shapes, and ``show`` JSON has them."""

from __future__ import annotations

import dataclasses
import json

from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import Criterion, Span, facts_to_json
from explorer.model import POL, facts_to_graph, graph_to_facts, policy_iri_of, statement_iris
from explorer.resources import ontology_dir
from explorer.validate import validate_graph
from tests.conftest import SEED_WEB

CRITERIA_TEXT = """
Coverage criteria. Tumor-informed ctDNA testing is covered when ALL of the following are met:
- Individual with stage I-IV cancer after surgery; and
- Test is ordered by the treating oncologist; and
- ONE of the following:
  - colorectal cancer; or
  - breast cancer.
"""


def _with_criteria():
    """The seed's facts with hand-built criteria on its first statement (spans into an appended text)."""
    facts = parse_policy_file(str(SEED_WEB))
    base = len(facts.text)
    text = facts.text + CRITERIA_TEXT

    def span(quote: str) -> Span:
        start = text.index(quote, base)
        return Span(start, start + len(quote), quote)

    nested = (Criterion("colorectal cancer", span("colorectal cancer")),
              Criterion("breast cancer", span("breast cancer")))
    criteria = (
        Criterion("Individual with stage I-IV cancer after surgery",
                  span("Individual with stage I-IV cancer after surgery")),
        Criterion("Test is ordered by the treating oncologist", span("Test is ordered by the treating oncologist")),
        Criterion("ONE of the following:", span("ONE of the following:"), "any-of", nested),
    )
    first = dataclasses.replace(facts.statements[0], criteria=criteria, criteria_logic="all-of")
    return dataclasses.replace(facts, text=text, statements=(first, *facts.statements[1:]))


def test_criteria_round_trip_losslessly() -> None:
    facts = _with_criteria()
    graph = facts_to_graph(facts)
    assert graph_to_facts(graph, policy_iri_of(facts)) == facts
    assert isomorphic(graph, facts_to_graph(graph_to_facts(graph, policy_iri_of(facts))))


def test_criteria_group_shape_in_the_graph() -> None:
    facts = _with_criteria()
    graph = facts_to_graph(facts)
    statement = next(iter(statement_iris(facts).values()))
    groups = list(graph.objects(None, POL.hasCriteria))
    assert len(groups) == 2  # the statement's, and the one nested under "ONE of the following"
    top = next(o for s, o in graph.subject_objects(POL.hasCriteria) if str(s) == statement)
    assert (top, RDF.type, POL.CriteriaGroup) in graph and graph.value(top, POL.combination) == Literal("all-of")
    members = sorted(graph.objects(top, POL.hasCriterion), key=lambda m: int(graph.value(m, POL.position)))
    assert [str(graph.value(m, POL.text)) for m in members][:2] == [
        "Individual with stage I-IV cancer after surgery", "Test is ordered by the treating oncologist"]
    nested = graph.value(members[2], POL.hasCriteria)
    assert graph.value(nested, POL.combination) == Literal("any-of")
    assert all((m, POL.sourceSpan, None) in graph for m in members)


def test_criteria_graph_conforms_and_a_criterion_without_span_does_not() -> None:
    graph = facts_to_graph(_with_criteria())
    result = validate_graph(graph)
    assert result.conforms, result.text
    criterion = next(graph.subjects(RDF.type, POL.Criterion))
    broken = Graph()
    broken += graph
    broken.remove((criterion, POL.sourceSpan, None))
    assert not validate_graph(broken).conforms
    bad_logic = Graph()
    bad_logic += graph
    group = next(graph.subjects(RDF.type, POL.CriteriaGroup))
    bad_logic.set((group, POL.combination, Literal("most-of")))
    assert not validate_graph(bad_logic).conforms


def test_seed_conditions_are_criteria() -> None:
    graph = facts_to_graph(parse_policy_file(str(SEED_WEB)))
    conditions = set(graph.objects(None, POL.hasCondition))
    assert conditions and all((c, RDF.type, POL.Criterion) in graph for c in conditions)


def test_show_json_has_criteria_and_their_logic() -> None:
    facts = _with_criteria()
    data = json.loads(json.dumps(facts_to_json(facts, str(policy_iri_of(facts)), statement_iris(facts))))
    first = data["statements"][0]
    assert first["criteria_logic"] == "all-of"
    assert [c["text"] for c in first["criteria"]][0] == "Individual with stage I-IV cancer after surgery"
    nested = first["criteria"][2]
    assert nested["logic"] == "any-of"
    assert [i["text"] for i in nested["items"]] == ["colorectal cancer", "breast cancer"]
    for c in (*first["criteria"], *nested["items"]):
        assert facts.text[c["source"]["start"]:c["source"]["end"]] == c["source"]["quote"]
    assert data["statements"][1]["criteria"] == [] and data["statements"][1]["criteria_logic"] is None


def test_context_names_the_criteria_terms() -> None:
    context = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert {"Criterion", "CriteriaGroup", "hasCriteria", "hasCriterion", "combination", "position"} <= set(context)
    assert "Condition" not in context
