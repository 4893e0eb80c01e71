"""DOIs and PMCIDs printed in real reference lists, read into the Reference facts and the JSON
contract (``references[].doi``, ``references[].pmcid``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import facts_to_json
from explorer.ingest.reference_ids import doi_of, pmcid_of

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def geisinger():
    return parse_policy_file(REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt")


def test_a_doi_and_a_pmcid_next_to_the_pmid(geisinger):
    """Geisinger MP360: 'Coakley M, ... Clin Cancer Res. 2024 ... doi: 10.1158/1078-0432.CCR-23-2326.
    PMID: 38078899; PMCID: PMC10870111'; 'Parikh AR, ... 2021 doi:10.1158/1078-0432.CCR-21-0410'."""
    coakley = next(r for r in geisinger.references if r.text.startswith("Coakley M"))
    assert (coakley.pmid, coakley.doi, coakley.pmcid) == ("38078899", "10.1158/1078-0432.CCR-23-2326", "PMC10870111")
    parikh = next(r for r in geisinger.references if r.text.startswith("Parikh AR"))
    assert (parikh.doi, parikh.pmcid) == ("10.1158/1078-0432.CCR-21-0410", None)
    assert all(r.doi is None or r.doi in r.text for r in geisinger.references)


def test_dois_in_an_apa_list_and_a_numbered_list():
    """BCBST: 'Sposito, M., ... Frontiers in Oncology, 14:1436588. Doi: 10.3389/fonc.2024.1436588.'
    and 'Woodhouse, R., ... e0237802.doi: 10.1371.' (a prefix without a suffix is no DOI); Molina
    entry 19: 'doi: 10.3389/fgene.2021.725259. PMID: 34490048; PMCID: PMC8416976'."""
    bcbst = parse_policy_file(REAL / "bcbst-ctdna-liquid-biopsy.2026-03-22.txt").references
    assert [r.doi for r in bcbst if r.doi] == ["10.3389/fonc.2024.1436588"]
    assert next(r for r in bcbst if r.text.startswith("Woodhouse")).doi is None
    molina = parse_policy_file(REAL / "molina-MCP-051-genetic-testing.2026-03-22.txt").references
    ouyang = next(r for r in molina if r.number == 19)
    assert (ouyang.pmid, ouyang.doi, ouyang.pmcid) == ("34490048", "10.3389/fgene.2021.725259", "PMC8416976")


def test_a_doi_broken_after_a_dot_is_joined():
    """BCBS SC entry 2 prints 'doi:10.1373/clinchem. 2012.194258'."""
    refs = parse_policy_file(REAL / "bcbssc-liquid-biopsy.2026-03-22.txt").references
    assert next(r for r in refs if r.number == 2).doi == "10.1373/clinchem.2012.194258"


@pytest.mark.parametrize(("text", "doi"), [
    ("https://doi.org/10.1016/S0140-6736(19)30000-1).", "10.1016/S0140-6736(19)30000-1"),
    ("(doi:10.1000/abc)", "10.1000/abc"),
    ("doi:10.1000/xyz. 2020;15:1-3", "10.1000/xyz"),
    ("Genet Med. 2013 Sep;15(9):733-47.", None),
])
def test_doi_edges(text, doi):
    assert doi_of(text) == doi


def test_pmcid_needs_its_digits():
    assert pmcid_of("PMCID: PMC4098820.") == "PMC4098820"
    assert pmcid_of("PMCID pending") is None


def test_the_json_contract_carries_doi_and_pmcid(geisinger):
    refs = facts_to_json(geisinger, "urn:x:p", {})["references"]
    coakley = next(r for r in refs if r["pmid"] == "38078899")
    assert (coakley["doi"], coakley["pmcid"]) == ("10.1158/1078-0432.CCR-23-2326", "PMC10870111")
    assert all({"doi", "pmcid"} <= r.keys() for r in refs)
