"""Reference lists of real policies (unnumbered author-year and APA lists, web text run into one
line, sub-lists, entries that are not references) and their history dates.  Each test says what
the document prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.ingest import parse_policy_file

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


@pytest.mark.parametrize("name", ["bcbst-ctdna-liquid-biopsy.2026-02-05.txt",
                                  "bcbst-ctdna-liquid-biopsy.2026-03-22.txt"])
def test_an_apa_list_run_into_one_line_is_split_before_each_author(parsed, name):
    """BCBST's SOURCES: 4 BCBSA Evidence Positioning System reviews, CMS/Palmetto, Gouton, Isla,
    Mata, 4 NCCN guidelines, Sposito, 2 FDA entries and Woodhouse, all on one line."""
    refs = parsed(name).references
    firsts = [r.text.split(" (")[0].split(",")[0] for r in refs]
    assert firsts == ["BlueCross BlueShield Association. Evidence Positioning System."] * 4 + [
        "CMS.gov: Centers for Medicare & Medicaid Services. Palmetto GBA.", "Gouton", "Isla", "Mata"] + [
        "National Comprehensive Cancer Network"] * 4 + [
        "Sposito", "U.S. Food and Drug Administration.", "U.S. Food and Drug Administration.", "Woodhouse"]
    isla = refs[6]
    assert "(2024). Journal of Medical Economics" in isla.text  # a second date inside an entry starts nothing
    assert refs[12].text.startswith("Sposito, M., Belluomini, L.")  # not "... from the National ... Network Sposito"
    assert refs[8].text.endswith("Retrieved February 25, 2025 from the National Comprehensive Cancer Network")
    assert all(r.text == " ".join(r.span.quote.split()) for r in refs)


def test_an_author_year_list_with_suffixed_years_particles_and_entities(parsed):
    """Anthem LAB.00015: 49 'Peer Reviewed Publications' (among them 'de Bono JS', 'Hoshimoto S ...
    2012a' and '2012b', 'Huang X ... 2015a' and '2015b', 'Jim&eacute;nez-Fonseca P'), then
    'Government Agency, Medical Society, and Other Authoritative Publications: Andre F, ...'."""
    facts = parsed("anthem-LAB.00015-circulating-tumor-cells.txt")
    government = facts.text.index("Government Agency, Medical Society, and Other Authoritative Publications:")
    peer = [r for r in facts.references if r.span.start < government]
    assert len(peer) == 49
    starts = [r.text[:24] for r in facts.references]
    for author in ("de Bono JS", "Jim&eacute;nez-Fonseca P", "Andre F, Ismaila N",
                   "Centers for Medicare and"):
        assert any(s.startswith(author) for s in starts), author
    assert sum(s.startswith("Hoshimoto S") for s in starts) == 2
    assert [r.year for r in facts.references if r.text.startswith("Huang X")] == [2015, 2015]


def test_a_piece_without_a_year_is_not_cut_from_its_entry(parsed):
    """Geisinger MP360: 'Medina, A., Puig, N., ... in multiple myeloma. Blood Cancer J, 2020; 10(10),
    108.' is one entry ('Blood Cancer J,' looks like an author but ends nothing); the two MolDX
    documents ('... (A56307). Local coverage article.', '... Colorectal Cancer L38290, L38779') have
    no year and are references; 'This policy will be revised as necessary ...' is not."""
    refs = parsed("geisinger-MP360-minimal-residual-disease.2026-03-22.txt").references
    medina = [r for r in refs if r.text.startswith("Medina, A., Puig, N.")]
    assert len(medina) == 1 and medina[0].text.endswith("Blood Cancer J, 2020; 10(10), 108.")
    assert not any(r.text.startswith("Blood Cancer J") for r in refs)
    moldx = [r.text for r in refs if r.text.startswith("MolDX")]
    assert len(moldx) == 2 and "(A56307)" in moldx[0] and moldx[1].endswith("Colorectal Cancer L38290, L38779")
    assert not any("This policy will be revised" in r.text for r in refs)


def test_prose_and_footers_under_a_reference_heading_are_not_references(parsed):
    """Kaiser WA: 'References:' in the SMA cell (ACOG 2017; Gregg 2021) and one 'Reference' under
    each Hayes review; the review's prose ('... (MDxHealth, 2019a)') and the '© 2010, Kaiser
    Foundation Health Plan ...' footer that follow are not entries."""
    refs = parsed("kaiser-wa-genetic-screening-testing.txt").references
    assert [r.text[:28] for r in refs] == ["American College of Obstetri", "Gregg, A. R., Aarabi, M., Kl",
                                           "Hayes. Hayes Molecular Test ", "Hayes. Hayes Molecular Test "]


def test_a_link_to_the_references_is_not_a_reference_section(parsed):
    """Highmark L-267 prints no reference list; its header's 'Links Link to References' is a link."""
    facts = parsed("highmark-L-267-navdx.txt")
    assert facts.references == ()
    assert not any(s.name == "references" for s in facts.sections)


def test_a_pmid_run_into_the_next_author_is_read(parsed):
    """Molina MCP-051 entry 23 ends '... Epub 2023 Feb 9. PMID: 36756860Rehm HL, Bale SJ, ...'."""
    for name in ("molina-MCP-051-genetic-testing.2026-02-05.txt", "molina-MCP-051-genetic-testing.2026-03-22.txt"):
        sagaser = next(r for r in parsed(name).references if "Sagaser KG" in r.text)
        assert sagaser.pmid == "36756860"


def test_a_future_effective_date_inside_a_history_row_is_not_a_revision():
    """Kaiser WA's row '08/05/2025 MPC approved the new MCG 29th Ed. ... 60-day notice required;
    effective 01/01/2026.' and BCBS SC's '12/11/2025 Revision to 0565U ..., added new codes 0611U
    and 0612U effective 01/01/2026': the newest history dates are the rows' own."""
    kaiser = parse_policy_file(REAL / "kaiser-wa-genetic-screening-testing.txt")
    assert max(h.date for h in kaiser.history) == "2025-10-07"
    bcbssc = parse_policy_file(REAL / "bcbssc-liquid-biopsy.2026-02-05.txt")
    assert max(h.date for h in bcbssc.history) == "2025-12-11"
    assert "2026-01-01" not in {h.date for h in bcbssc.history}


def test_an_unnumbered_list_whose_entries_end_with_a_url_or_doi(parsed):
    """BCBS SC's 2026-02-05 page prints 'References Curigliano G. ... blood-test Haber DA, ...
    doi:10.1158/2159-8290.Cd-13-1014 Cabel L, ...' (three entries, no numbers, no full stop after the
    URL or DOI); its 2026-03-22 page numbers them ('References 1. Haber DA')."""
    older = parsed("bcbssc-liquid-biopsy.2026-02-05.txt")
    assert [r.text.split(".")[0] for r in older.references] == [
        "Curigliano G", "Haber DA, Velculescu VE", "Cabel L, Proudhon C, Gortais H, et al"]
    assert [r.doi for r in older.references] == [None, "10.1158/2159-8290.Cd-13-1014", "10.1007/s10147-017-1105-2"]
    assert "no reference list section recognised" not in older.warnings
