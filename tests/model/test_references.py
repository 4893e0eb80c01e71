"""References and the publications they cite (issue 16 item 8), on real documents.

A reference-list entry is the policy's own BiRO bibliographic reference; the publication it cites is
one resource shared by every policy citing it (IRI from the PMID, else the DOI), so "which policies
cite PMID 26324357?" is one join. Guidelines and technology assessments are not journal articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts, Reference
from explorer.model import POL, facts_to_graph, policy_iri_of
from explorer.model.iris import BIBO, BIRO, CITO, FABIO, ID
from explorer.model.publications import publication_iri, publication_kind, reference_doi

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
SEED = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
# Two payers' policies whose reference lists both print PMID 26324357 (ACMG/AMP variant standards)
BCBSM = REAL / "bcbsm-cancer-susceptibility.txt"
MOLINA = REAL / "molina-MCP-051-genetic-testing.2026-03-22.txt"


@pytest.fixture(scope="module")
def facts() -> dict[str, PolicyFacts]:
    names = [SEED, BCBSM, MOLINA, REAL / "evicore-MOL.TS.194-liquid-biopsy.2026.txt",
             REAL / "bcbssc-liquid-biopsy.2026-03-22.txt", REAL / "blueshieldca-algorithmic-testing.txt",
             REAL / "anthem-LAB.00015-circulating-tumor-cells.txt"]
    return {path.name: parse_policy_file(path) for path in names}


def _entry(facts: PolicyFacts, needle: str) -> Reference:
    found = [r for r in facts.references if needle in r.text]
    assert found, needle
    return found[0]


def test_two_policies_citing_one_pmid_share_the_publication(facts: dict[str, PolicyFacts]) -> None:
    publication = ID["publication/pmid/26324357"]
    for name in (BCBSM.name, MOLINA.name):
        f = facts[name]
        graph = facts_to_graph(f)
        policy = policy_iri_of(f)
        entries = [r for r in graph.objects(policy, POL.hasReference) if (r, BIRO.references, publication) in graph]
        assert len(entries) == 1 and str(entries[0]).startswith(str(policy) + "/reference/")
        assert (policy, CITO.citesAsEvidence, publication) in graph
        assert (publication, BIBO.pmid, None) in graph and (publication, RDF.type, FABIO.JournalArticle) in graph
    assert policy_iri_of(facts[BCBSM.name]) != policy_iri_of(facts[MOLINA.name])


def test_the_named_query_finds_both_policies(tmp_path: Path) -> None:
    from explorer.pipeline import ingest_paths
    from explorer.query.catalog import load_query_file
    from explorer.query.runner import run_query
    from explorer.store import open_store

    store = open_store("oxigraph:")
    try:
        assert ingest_paths(store, [BCBSM, MOLINA]).ok
        query = load_query_file(ROOT / "queries" / "policies-citing-pmid.rq")
        rows = run_query(store, query, {"pmid": "26324357"}).rows
        columns = list(query.columns)
        payers = {str(row[columns.index("payer")]) for row in rows}
        assert payers == {"Blue Cross Blue Shield of Michigan", "Molina Healthcare"}
        for row in rows:
            assert "26324357" in str(row[columns.index("quote")])
        assert list(run_query(store, query, {"pmid": "1"}).rows) == []
    finally:
        store.close()


def test_a_doi_is_shared_whatever_its_case(facts: dict[str, PolicyFacts]) -> None:
    """EviCore prints ``10.1158/1078-0432.Ccr-17-3831``, as does BCBS South Carolina: one publication."""
    evicore = _entry(facts["evicore-MOL.TS.194-liquid-biopsy.2026.txt"], "Clin Cancer Res. 2018;24(15):3539")
    bcbssc = _entry(facts["bcbssc-liquid-biopsy.2026-03-22.txt"], "2018;24(15):3539-3549")
    assert reference_doi(evicore) == reference_doi(bcbssc) == "10.1158/1078-0432.ccr-17-3831"
    assert publication_iri(evicore) == publication_iri(bcbssc) == URIRef(
        str(ID) + "publication/doi/10.1158/1078-0432.ccr-17-3831")


def test_a_doi_cut_short_is_no_identity(facts: dict[str, PolicyFacts]) -> None:
    """``doi: 10.1093/annonc/ mdx490`` (broken by a space) must not merge every Annals of Oncology paper."""
    cut = _entry(facts["evicore-MOL.TS.194-liquid-biopsy.2026.txt"], "10.1093/annonc/ mdx490")
    assert reference_doi(cut) is None
    assert "/publication/text/" in str(publication_iri(cut))


@pytest.mark.parametrize(
    ("document", "needle", "expected"),
    [
        (SEED.name, "Technology Evaluation Center (TEC)", FABIO.TechnicalReport),
        (SEED.name, "National Comprehensive Cancer Network (NCCN)", FABIO.ClinicalGuideline),
        (SEED.name, "Deol A, Lum LG", FABIO.JournalArticle),
        (BCBSM.name, "HAYES GTE Report. BROCA", FABIO.TechnicalReport),
        ("blueshieldca-algorithmic-testing.txt", "Local Coverage Determination. MolDX: Pigmented", FABIO.Policy),
        ("blueshieldca-algorithmic-testing.txt", "ECRI. Pigmented Lesion Assay", FABIO.TechnicalReport),
        # an author named Hayes is no technology assessment
        ("anthem-LAB.00015-circulating-tumor-cells.txt", "Hayes DF, Cristofanilli M", None),
    ],
)
def test_the_kind_of_publication_follows_the_printed_text(
    facts: dict[str, PolicyFacts], document: str, needle: str, expected: URIRef | None
) -> None:
    entry = _entry(facts[document], needle)
    kind = publication_kind(entry)
    if expected is None:
        assert kind is None or kind.fabio_class != FABIO.TechnicalReport
    else:
        assert kind is not None and kind.fabio_class == expected
        graph: Graph = facts_to_graph(facts[document])
        assert (publication_iri(entry), RDF.type, expected) in graph


def test_printed_identifiers_survive_the_round_trip(facts: dict[str, PolicyFacts]) -> None:
    """The DOI and PMCID an entry prints are kept as printed on the entry (the publication's DOI is
    lower-cased) and read back unchanged."""
    from explorer.model import graph_to_facts

    molina = facts[MOLINA.name]
    assert any(r.pmcid for r in molina.references) and any(r.doi for r in molina.references)
    for f in (molina, facts["bcbssc-liquid-biopsy.2026-03-22.txt"]):
        graph = facts_to_graph(f)
        assert graph_to_facts(graph, policy_iri_of(f)).references == f.references
        for r in f.references:
            if r.doi:
                assert (publication_iri(r), BIBO.doi, Literal(r.doi.lower())) in graph
            if r.pmcid:
                assert (publication_iri(r), FABIO.hasPubMedCentralId, Literal(r.pmcid)) in graph


def test_in_text_markers_are_c4o_pointers_to_their_entries(facts):
    """Each in-text marker's span is a C4O in-text reference pointer: its content is the marker as
    printed (the characters at the span) and it denotes the entry the citation points to."""
    from explorer.model.iris import C4O

    seed = facts[SEED.name]
    assert seed.citations, "the seed prints in-text markers"
    graph = facts_to_graph(seed)
    pointers = set(graph.subjects(RDF.type, C4O.InTextReferencePointer))
    assert len(pointers) == len({(c.span.start, c.span.end) for c in seed.citations})
    for citation in graph.subjects(RDF.type, POL.Citation):
        span = graph.value(citation, POL.sourceSpan)
        assert span in pointers
        assert graph.value(span, C4O.hasContent) == graph.value(citation, POL.marker)
        assert graph.value(citation, CITO.hasCitedEntity) in set(graph.objects(span, C4O.denotes))
    for c in seed.citations:  # the content is what the document prints at the marker's span
        assert seed.text[c.span.start:c.span.end] == c.marker or c.marker in seed.text[c.span.start:c.span.end]
