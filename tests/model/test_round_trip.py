"""PolicyFacts -> RDF -> PolicyFacts is lossless, and IRIs are stable across re-ingests."""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.compare import isomorphic

from explorer.ingest import parse_policy, parse_policy_file
from explorer.model import POL, facts_to_graph, graph_to_facts, policy_iri_of
from explorer.model.iris import text_key


def test_round_trip_is_lossless_for_both_renderings(seed_web_path, seed_pdf_path):
    for path in (seed_web_path, seed_pdf_path):
        facts = parse_policy_file(path)
        assert graph_to_facts(facts_to_graph(facts), policy_iri_of(facts)) == facts


def test_reingesting_unchanged_document_gives_isomorphic_graph(seed_web_path):
    a = facts_to_graph(parse_policy_file(seed_web_path))
    b = facts_to_graph(parse_policy_file(seed_web_path))
    assert isomorphic(a, b)
    assert not any(isinstance(t, type(None)) for t in a)


def test_iris_derive_from_payer_number_and_content(seed_web_path):
    facts = parse_policy_file(seed_web_path)
    graph = facts_to_graph(facts)
    policy = policy_iri_of(facts)
    assert str(policy) == "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    statements = sorted(str(s) for s in graph.subjects(RDF.type, POL.CoverageStatement))
    assert statements == sorted(f"{policy}/statement/{text_key(s.text)}" for s in facts.statements)
    pmid = next(r.pmid for r in facts.references if r.pmid)
    assert (URIRef(f"{policy}/reference/pmid-{pmid}"), RDF.type, POL.Reference) in graph
    assert (URIRef(f"{policy}/history/{facts.history[0].date}"), RDF.type, POL.PolicyHistoryEvent) in graph
    assert URIRef("https://w3id.org/policy-explorer/id/code/cpt/38242") in set(graph.objects(policy, POL.listsCode))
    source = f"https://w3id.org/policy-explorer/id/document/sha256/{facts.sha256}"
    span = facts.statements[0].span
    assert (URIRef(f"{source}#char={span.start},{span.end}"), RDF.type, POL.TextSpan) in graph


def test_edited_document_changes_only_the_edited_fact(seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    edited = text.replace("Cancer Treat Rev.", "Cancer Treat Reviews.", 1)
    before = facts_to_graph(parse_policy(text, "a.txt"))
    after = facts_to_graph(parse_policy(edited, "a.txt"))
    # a new document (another SHA-256) has new span IRIs; the facts' own triples are what compare
    changed_subjects = {str(s) for s, p, _ in (before ^ after) if p != POL.sourceSpan}
    policy = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    # the edited reference changes; statements and prior auth do not
    assert any(s.startswith(f"{policy}/reference/") for s in changed_subjects)
    assert not any(s.startswith(f"{policy}/statement/") for s in changed_subjects)
    assert not any(s.startswith(f"{policy}/prior-authorization/") for s in changed_subjects)


def _fact_iris(graph, kind):
    return {s for s in graph.subjects(RDF.type, kind)}


def test_revision_with_one_statement_edited_keeps_the_other_iris(seed_web_path):
    """Re-ingesting policy 338 with one statement edited: the other statements, every reference and
    every history row keep their IRIs (issue 16, item 6); only the edited statement's changes."""
    text = seed_web_path.read_text(encoding="utf-8")
    facts = parse_policy(text, "a.txt")
    target = facts.statements[2].span.quote  # "... INVESTIGATIONAL** as a treatment of nonhematologic ..."
    assert text.count(target) == 1
    edited_text = text.replace(target, target.replace("nonhematologic", "solid-tumour"), 1)
    before = facts_to_graph(facts)
    after_facts = parse_policy(edited_text, "a.txt")
    after = facts_to_graph(after_facts)
    assert len(after_facts.statements) == len(facts.statements)
    old, new = _fact_iris(before, POL.CoverageStatement), _fact_iris(after, POL.CoverageStatement)
    assert len(old - new) == 1 and len(new - old) == 1
    assert str(next(iter(old - new))).endswith(text_key(facts.statements[2].text))
    for kind in (POL.Reference, POL.PolicyHistoryEvent, POL.PriorAuthorizationRequirement):
        assert _fact_iris(before, kind) == _fact_iris(after, kind), kind
        assert _fact_iris(before, kind)


def test_spans_carry_context_to_refind_the_quote(seed_web_path):
    facts = parse_policy_file(seed_web_path)
    graph = facts_to_graph(facts)
    oa = "http://www.w3.org/ns/oa#"
    span = facts.statements[0].span
    quote = URIRef(f"https://w3id.org/policy-explorer/id/document/sha256/{facts.sha256}#char={span.start},{span.end};quote")
    prefix, suffix = graph.value(quote, URIRef(oa + "prefix")), graph.value(quote, URIRef(oa + "suffix"))
    assert str(prefix) == facts.text[span.start - 32:span.start] and str(suffix) == facts.text[span.end:span.end + 32]
    assert facts.text.count(str(prefix) + span.quote + str(suffix)) == 1


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
