"""PolicyFacts -> RDF -> PolicyFacts is lossless, and IRIs are stable across re-ingests."""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.compare import isomorphic

from explorer.ingest import parse_policy, parse_policy_file
from explorer.model import POL, facts_to_graph, graph_to_facts, policy_iri_of


def test_round_trip_is_lossless_for_both_renderings(seed_web_path, seed_pdf_path):
    for path in (seed_web_path, seed_pdf_path):
        facts = parse_policy_file(path)
        assert graph_to_facts(facts_to_graph(facts), policy_iri_of(facts)) == facts


def test_reingesting_unchanged_document_gives_isomorphic_graph(seed_web_path):
    a = facts_to_graph(parse_policy_file(seed_web_path))
    b = facts_to_graph(parse_policy_file(seed_web_path))
    assert isomorphic(a, b)
    assert not any(isinstance(t, type(None)) for t in a)


def test_iris_derive_from_payer_number_and_role(seed_web_path):
    facts = parse_policy_file(seed_web_path)
    graph = facts_to_graph(facts)
    policy = policy_iri_of(facts)
    assert str(policy) == "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    statements = sorted(str(s) for s in graph.subjects(RDF.type, POL.CoverageStatement))
    assert statements == [f"{policy}/statement/{n}" for n in range(1, len(facts.statements) + 1)]
    assert (URIRef(f"{policy}/reference/3"), RDF.type, POL.Reference) in graph
    assert URIRef("https://w3id.org/policy-explorer/id/code/cpt/38242") in set(graph.objects(policy, POL.listsCode))


def test_edited_document_changes_only_the_edited_fact(seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    edited = text.replace("Cancer Treat Rev.", "Cancer Treat Reviews.", 1)
    before = facts_to_graph(parse_policy(text, "a.txt"))
    after = facts_to_graph(parse_policy(edited, "a.txt"))
    changed_subjects = {str(s) for s, _, _ in (before ^ after)}
    policy = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    # the edited reference changes; spans after it shift; statements and prior auth do not change
    assert f"{policy}/reference/1" in changed_subjects
    assert not any(s.startswith(f"{policy}/statement/") for s in changed_subjects)
    assert not any(s.startswith(f"{policy}/prior-authorization/") for s in changed_subjects)


def test_statement_status_and_spans_quote_the_document(seed_web_path):
    facts = parse_policy_file(seed_web_path)
    graph = facts_to_graph(facts)
    oa = "http://www.w3.org/ns/oa#"
    for span in graph.subjects(RDF.type, POL.TextSpan):
        selectors = list(graph.objects(span, URIRef(oa + "hasSelector")))
        start = next(
            graph.value(s, URIRef(oa + "start")) for s in selectors if graph.value(s, URIRef(oa + "start")) is not None
        )
        end = next(
            graph.value(s, URIRef(oa + "end")) for s in selectors if graph.value(s, URIRef(oa + "end")) is not None
        )
        exact = next(
            graph.value(s, URIRef(oa + "exact")) for s in selectors if graph.value(s, URIRef(oa + "exact")) is not None
        )
        assert facts.text[int(start):int(end)] == str(exact)
