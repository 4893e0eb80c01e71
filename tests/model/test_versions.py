"""Work, version, document (issue 16 item 5), on real documents published in two dated versions
(tests/fixtures/real/SOURCES.json): the two share the policy (the work) and get distinct versions,
each embodied in its own document, and the newer revises the older."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts
from explorer.model import POL, facts_to_graph, policy_iri_of
from explorer.model.iris import FRBR, document_iri
from explorer.model.version_rdf import revision_links, version_date, version_iri

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
PAIRS = [  # (older, newer) as fetched; the dates are the documents' own
    ("bcbssc-liquid-biopsy.2026-02-05.txt", "bcbssc-liquid-biopsy.2026-03-22.txt"),
    ("molina-MCP-051-genetic-testing.2026-02-05.txt", "molina-MCP-051-genetic-testing.2026-03-22.txt"),
    ("geisinger-MP360-minimal-residual-disease.2026-02-05.txt",
     "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"),
]


@pytest.fixture(scope="module")
def parsed() -> dict[str, PolicyFacts]:
    names = {n for pair in PAIRS for n in pair} | {"bcbst-ctdna-liquid-biopsy.2026-02-05.txt",
                                                  "bcbst-ctdna-liquid-biopsy.2026-03-22.txt",
                                                  "evicore-MOL.TS.194-liquid-biopsy.2025.txt"}
    return {name: parse_policy_file(REAL / name) for name in sorted(names)}


def _version(graph: Graph, policy: URIRef) -> URIRef:
    versions = list(graph.objects(policy, DCTERMS.hasVersion))
    assert len(versions) == 1
    return versions[0]  # type: ignore[return-value]


@pytest.mark.parametrize(("older", "newer"), PAIRS, ids=lambda n: n.split(".")[0] if "." in n else n)
def test_two_versions_share_the_work_and_the_newer_revises_the_older(
    parsed: dict[str, PolicyFacts], older: str, newer: str
) -> None:
    old, new = parsed[older], parsed[newer]
    work = policy_iri_of(old)
    assert policy_iri_of(new) == work
    old_graph, new_graph = facts_to_graph(old), facts_to_graph(new)
    v_old, v_new = _version(old_graph, work), _version(new_graph, work)
    assert v_old != v_new and v_old == version_iri(old, work) and str(v_old).startswith(f"{work}/version/")
    for facts, graph, version in ((old, old_graph, v_old), (new, new_graph, v_new)):
        assert (version, DCTERMS.isVersionOf, work) in graph
        assert (version, FRBR.embodiment, document_iri(facts.sha256)) in graph
        assert (work, POL.sourceDocument, document_iri(facts.sha256)) in graph
    assert str(version_date(old)) < str(version_date(new))
    links = revision_links(old_graph + new_graph)
    assert set(links) == {(v_new, PROV.wasRevisionOf, v_old)}
    assert not revision_links(new_graph)  # one version alone revises nothing


def test_one_dated_version_in_two_documents(parsed: dict[str, PolicyFacts]) -> None:
    """BCBS Tennessee's two fetches print the same effective date: one version, two documents."""
    a = parsed["bcbst-ctdna-liquid-biopsy.2026-02-05.txt"]
    b = parsed["bcbst-ctdna-liquid-biopsy.2026-03-22.txt"]
    work = policy_iri_of(a)
    assert version_iri(a, work) == version_iri(b, work) == URIRef(f"{work}/version/2025-09-30")
    union = facts_to_graph(a) + facts_to_graph(b)
    embodiments = set(union.objects(URIRef(f"{work}/version/2025-09-30"), FRBR.embodiment))
    assert embodiments == {document_iri(a.sha256), document_iri(b.sha256)} or a.sha256 == b.sha256
    assert not revision_links(union)


def test_an_undated_document_names_its_version_by_its_hash(parsed: dict[str, PolicyFacts]) -> None:
    facts = parsed["evicore-MOL.TS.194-liquid-biopsy.2025.txt"]
    assert version_date(facts) is None
    work = policy_iri_of(facts)
    assert version_iri(facts, work) == URIRef(f"{work}/version/sha256-{facts.sha256[:12]}")


def test_dates_of_different_precision_are_ordered_as_their_first_day() -> None:
    """Geisinger prints a month (2025-10), most payers a day: a month counts as its first day."""
    from explorer.model.version_rdf import date_order_key

    dates = ["2026-03", "2025-10-01", "2025-09-30", "2025", "2025-10"]
    assert sorted(dates, key=date_order_key) == ["2025", "2025-09-30", "2025-10", "2025-10-01", "2026-03"]
    work = URIRef("https://w3id.org/policy-explorer/id/policy/x/1")
    graph = Graph()
    for date in ("2025-09-30", "2025-10", "2024"):
        version = URIRef(f"{work}/version/{date}")
        graph.add((version, DCTERMS.isVersionOf, work))
        graph.add((version, POL.versionDate, Literal(date)))
    assert set(revision_links(graph)) == {
        (URIRef(f"{work}/version/2025-10"), PROV.wasRevisionOf, URIRef(f"{work}/version/2025-09-30")),
        (URIRef(f"{work}/version/2025-09-30"), PROV.wasRevisionOf, URIRef(f"{work}/version/2024")),
    }


def test_facts_hang_off_the_version_they_were_read_from(parsed: dict[str, PolicyFacts]) -> None:
    # Molina MCP-051: 0033U is listed only in the 2025-02-12 version, 0614U only in the
    # 2026-02-11 one (read in the two files); the first statement's wording is the same in both
    older, newer = (parsed[n] for n in PAIRS[1])
    merged = Graph()
    for facts in (older, newer):
        merged += facts_to_graph(facts)
    policy = policy_iri_of(newer)
    v_old, v_new = version_iri(older, policy), version_iri(newer, policy)

    def versions_of(fact: URIRef) -> set[URIRef]:
        return {v for v in merged.subjects(DCTERMS.hasPart, fact) if isinstance(v, URIRef)}

    def listed_in(code: str) -> set[URIRef]:
        nodes = [n for n in merged.objects(policy, POL.hasCodeListing)
                 if isinstance(n, URIRef) and str(merged.value(n, POL.listedCode)).lower().endswith("/" + code.lower())]
        assert nodes, code
        return set().union(*(versions_of(n) for n in nodes))

    assert listed_in("0033U") == {v_old}
    assert listed_in("0614U") == {v_new}
    assert listed_in("81120") == {v_old, v_new}
    shared = set(merged.objects(policy, POL.hasStatement))
    both = [s for s in shared if isinstance(s, URIRef) and versions_of(s) == {v_old, v_new}]
    assert both, "an unchanged statement is one node, a part of both versions"
    # every fact the policy links to is a part of some version
    for link in (POL.hasStatement, POL.hasReference, POL.hasHistoryEvent, POL.hasCodeListing):
        for fact in merged.objects(policy, link):
            assert isinstance(fact, URIRef) and versions_of(fact), (link, fact)
