"""Which sentences of a real policy are statements: each rule checked on the documents that showed it.

The rules live in ``data/formats/_statuses.toml`` (not-statements, neutral phrases), the family
profiles (headings) and ``explorer/ingest/generic_statements.py`` (criteria items, table rows); each
test names what the document says and, where a family has two documents, checks both.
"""

from __future__ import annotations

import pytest

from explorer.ingest.facts import PolicyFacts


def _texts(facts: PolicyFacts) -> list[str]:
    return [" ".join(s.text.split()) for s in facts.statements]


@pytest.mark.parametrize("name", ["blueshieldca-tumor-informed-ctdna-um.txt", "blueshieldca-algorithmic-testing.txt",
                                  "blueshieldca-BSC_CON_2.04-molecular-analysis-tumors.txt"])
def test_the_appendix_of_old_and_new_wording_adds_no_statement(parsed, name):
    """Blue Shield CA ends with 'Appendix A / POLICY STATEMENT / BEFORE ... AFTER': the old wording
    ('Signatera ... is considered investigational for all indications') is no longer the policy."""
    facts = parsed(name)
    appendix = facts.text.index("\nAppendix A")
    assert facts.statements and all(s.span.end < appendix for s in facts.statements)
    assert not any("Verbiage" in t for t in _texts(facts))


def test_the_current_policy_statement_stays(parsed):
    facts = parsed("blueshieldca-tumor-informed-ctdna-um.txt")
    statuses = {s.status for s in facts.statements}
    assert "medically-necessary" in statuses
    assert not any(t.startswith("Tumor-informed circulating tumor DNA testing (e.g., Signatera) is considered "
                                "investigational for all indications") for t in _texts(facts))


def test_conditions_under_a_lead_in_are_its_criteria_not_statements(parsed):
    """BCBSM: 'Genetic testing is considered experimental/investigational when: • testing is not
    clinically appropriate for the patient's condition ...' is one statement with its conditions."""
    facts = parsed("bcbsm-genetic-testing-counseling.txt")
    lead = next(s for s in facts.statements if s.text.startswith("Genetic testing is considered experimental/"))
    assert lead.status == "investigational"
    assert any(c.text.startswith("testing is not clinically appropriate") for c in lead.criteria)
    texts = _texts(facts)
    assert not any(t.startswith(("• testing is not clinically", "Other situations where testing")) for t in texts)
    kaiser = _texts(parsed("kaiser-wa-genetic-screening-testing.txt"))
    assert not any(t.startswith("• there is insufficient evidence to support molecular testing") for t in kaiser)


def test_an_item_that_decides_for_its_own_subject_is_still_a_statement(parsed):
    """Carelon: 'o Galleri® (GRAIL) ctDNA and Minimal Residual Disease (MRD) Liquid (ctDNA) based
    testing is considered not medically necessary' sits in a list and decides on its own."""
    facts = parsed("carelon-liquid-biopsy-2025.txt")
    galleri = [s for s in facts.statements if "Galleri" in s.text]
    assert galleri and galleri[0].status == "not-medically-necessary"


def test_a_flattened_vendor_table_is_not_a_statement(parsed):
    """Kaiser WA's 'Test / Laboratory / Covered Alternative' table: 'Galleri® Grail, Inc Not covered',
    'Genomind Professional PGx Express Genomind, Inc. Not covered' are cells, not sentences."""
    facts = parsed("kaiser-wa-genetic-screening-testing.txt")
    texts = _texts(facts)
    assert not any("Guardant360 CDx Guardant Health" in t or "FusionPlex" in t for t in texts)
    assert any(t.endswith("This is not covered per MCG") and s.status == "not-covered"
               for t, s in zip(texts, facts.statements, strict=True))


def test_a_wrapped_line_is_not_a_heading(parsed):
    """WellCare: '... based on specific and well-established / clinical indications' (a quoted CMS
    LCD in the rationale) does not open a 'Clinical Indications' policy section; Humana: '... for any
    of the following / indications:' is the end of the lead-in, not an 'Indications' heading."""
    wellcare = parsed("wellcare-concert-ctdna-liquid-biopsy.txt")
    assert not any(t.startswith("Duplicate testing of the same biomarker") for t in _texts(wellcare))
    assert not any("For a given patient encounter, only 1 test" in t for t in _texts(wellcare))
    humana = parsed("humana-HUM-0595-comprehensive-genomic-profiling-solid-tumors.txt")
    nras = next(s for s in humana.statements if "NRAS gene analysis (81311)" in s.text)
    assert nras.text.endswith("for any of the following indications:")
    assert nras.criteria_logic == "any-of"
    assert [c.text for c in nras.criteria] == ["Colorectal cancer, metastatic; OR", "Melanoma, metastatic"]


@pytest.mark.parametrize(("name", "words"), [
    ("bcbsm-genetic-testing-counseling.txt", "represent minimum criteria that must be met"),
    ("highmark-L-113-investigational-molecular-testing.txt", "can bill the member"),
    ("highmark-L-123.txt", "can bill the member"),
    ("wellcare-concert-ctdna-liquid-biopsy.txt", "It is the policy of health plans affiliated with Centene"),
    ("kaiser-wa-genetic-screening-testing.txt", "Testing is covered only once in a lifetime."),
])
def test_preambles_disclaimers_and_limits_are_not_statements(parsed, name, words):
    facts = parsed(name)
    assert words in " ".join(facts.text.split())
    assert not any(words in t for t in _texts(facts))


def test_a_lifetime_limit_inside_a_determination_stays(parsed):
    """Kaiser WA: 'This test is covered once in a lifetime to guide the Warfarin dosing strategies
    when ...' decides (medically necessary); only a bare limit sentence is dropped."""
    facts = parsed("kaiser-wa-genetic-screening-testing.txt")
    words = "covered once in a lifetime to guide the Warfarin"
    warfarin = [s for s, t in zip(facts.statements, _texts(facts), strict=True) if words in t]
    assert [s.status for s in warfarin] == ["medically-necessary"]


@pytest.mark.parametrize("name", ["molina-MCP-051-genetic-testing.2026-02-05.txt",
                                  "molina-MCP-051-genetic-testing.2026-03-22.txt"])
def test_may_be_authorized_decides_and_when_clinically_appropriate_does_not(parsed, name):
    """Molina: '2. A second genetic test may be authorized in one of the following circumstances:' is
    a determination with two criteria; its item 'b. ... which can vary over time, when clinically
    appropriate' is a condition, not a statement."""
    facts = parsed(name)
    second = next(s for s in facts.statements if s.text.startswith("A second genetic test may be authorized"))
    assert second.status == "medically-necessary" and len(second.criteria) == 2
    assert not any(t.startswith("The genetic test measures gene expressions") for t in _texts(facts))


def test_items_under_an_exclusions_label_are_not_covered(parsed):
    """BCBSM: 'Other Exclusions: • Next-generation sequencing panels for conditions other than ...
    • Whole genome or whole exome sequencing ... • Forensic testing for legal purposes'; the list
    before it ('... experimental/investigational when:') ends at the label."""
    facts = parsed("bcbsm-genetic-testing-counseling.txt")
    excluded = [s for s in facts.statements if s.status_label == "Other Exclusions"]
    assert [s.text[:40] for s in excluded] == ["Next-generation sequencing panels for co",
                                               "Whole genome or whole exome sequencing f",
                                               "Forensic testing for legal purposes"]
    assert {s.status for s in excluded} == {"not-covered"}
    lead = next(s for s in facts.statements if s.text.startswith("Genetic testing is considered experimental/"))
    assert not any("Forensic" in c.text for c in lead.criteria)
    panels = parsed("bcbsm-genetic-testing-panels.txt")  # its 'Exclusions:' items state their own status
    assert not any(s.status == "not-covered" for s in panels.statements)


@pytest.mark.parametrize(("name", "words"), [
    ("bcbsm-genetic-testing-counseling.txt",
     "Genetic testing classified in one of the categories below is established when"),
    ("bcbsm-genetic-testing-panels.txt", "Chromosomal microarray analysis is established when criteria are met."),
])
def test_established_when_is_medically_necessary(parsed, name, words):
    statements = [s for s in parsed(name).statements if s.text.startswith(words)]
    assert [s.status for s in statements] == ["medically-necessary"]


def test_criteria_go_on_after_a_reference_list_in_a_grid_cell(parsed):
    """Kaiser WA's spinal muscular atrophy cell: 'References:' (ACOG 2017; Gregg 2021), then
    'Preconception or prenatal carrier testing for spinal muscular atrophy (SMA) ... is considered
    medically necessary ...', 'Kaiser Permanente will cover carrier testing for SMA (CPT 81329) ...'
    and the TTR row 'Transthyretin (TTR) Amyloidosis Testing is covered when ONE of the following'."""
    facts = parsed("kaiser-wa-genetic-screening-testing.txt")
    texts = _texts(facts)
    for words in ("Preconception or prenatal carrier testing for spinal muscular atrophy (SMA)",
                  "Kaiser Permanente will cover carrier testing for SMA (CPT 81329)",
                  "Transthyretin (TTR) Amyloidosis Testing is covered when ONE of the following"):
        found = [s for t, s in zip(texts, facts.statements, strict=True) if words in t]
        assert [s.status for s in found] == ["medically-necessary"], words
    assert [r.text[:12] for r in facts.references[:2]] == ["American Col", "Gregg, A. R."]


def test_short_and_grid_statements_of_kaiser(parsed):
    """'HLA Testing for Celiac Disease 1. Is medically appropriate ... 2. It is not covered for a.
    Asymptomatic people OR b. Screening'; 'The following are not covered: Chromosomal microarray
    ...'; the grid row 'Opioid Pharmacogenetics ... MCG* A-0775 *Not covered per MCG'."""
    facts = parsed("kaiser-wa-genetic-screening-testing.txt")
    by_text = {t: s.status for t, s in zip(_texts(facts), facts.statements, strict=True)}
    assert by_text.get("2. It is not covered for") == "not-covered"
    assert by_text.get("The following are not covered:") == "not-covered"
    assert any(t.endswith("MCG A-0775 Not covered per MCG") and st == "not-covered" for t, st in by_text.items())


def test_a_label_of_status_words_is_not_a_statement(parsed):
    """Anthem GENE.00052 heads a list 'Investigational and Not Medically Necessary:'."""
    facts = parsed("anthem-GENE.00052-whole-genome-exome-sequencing.txt")
    assert "Investigational and Not Medically Necessary:" in facts.text
    assert not any(t.startswith("Investigational and Not Medically Necessary") for t in _texts(facts))
    assert {"investigational", "not-medically-necessary"} <= {s.status for s in facts.statements}


def test_a_status_word_broken_at_a_line_end(parsed):
    """WellCare prints 'BRAF variant analysis (81210) via circulating tumor DNA (ctDNA) is considered
    in' / 'vestigational for all other indications.'"""
    facts = parsed("wellcare-concert-ctdna-liquid-biopsy.txt")
    braf = [s for s in facts.statements if s.text.startswith("BRAF variant analysis (81210)") and "all other" in s.text]
    assert [s.status for s in braf] == ["investigational"]


def test_payer_wordings_that_decide(parsed):
    """Highmark L-113: 'Molecular and genomic tests are only eligible for reimbursement when ALL of
    the following conditions are met'; Geisinger MP360 (Medicare segment): 'Coverage criteria under
    the policy have been met for (1) ...', 'Coverage of ClonoSeq (baseline assay and multiple
    follow-up assays) is indicated for Acute lymphoblastic leukemia ...'; Kaiser: 'In most cases,
    further genetic testing would not be considered necessary.'"""
    cases = [
        ("highmark-L-113-investigational-molecular-testing.txt",
         "Molecular and genomic tests are only eligible for reimbursement when ALL", "medically-necessary"),
        ("geisinger-MP360-minimal-residual-disease.2026-03-22.txt",
         "Coverage criteria under the policy have been met for (1)", "medically-necessary"),
        ("geisinger-MP360-minimal-residual-disease.2026-02-05.txt",
         "Coverage of ClonoSeq (baseline assay and multiple follow-up assays) is indicated for", "medically-necessary"),
        ("kaiser-wa-genetic-screening-testing.txt",
         "further genetic testing would not be considered necessary", "not-medically-necessary"),
    ]
    for name, words, status in cases:
        found = [s.status for s, t in zip(parsed(name).statements, _texts(parsed(name)), strict=True) if words in t]
        assert found == [status], (name, words, found)


def test_can_be_covered_and_is_not_covered_in_one_sentence(parsed):
    """Kaiser: 'Individual or targeted gene testing can be covered for specific, actionable mutations
    for cancer types that panel testing is not covered.' states both (a modal starts the verb)."""
    facts = parsed("kaiser-wa-genetic-screening-testing.txt")
    found = [s.status for s, t in zip(facts.statements, _texts(facts), strict=True)
             if t.startswith("Individual or targeted gene testing can be covered")]
    assert sorted(found) == ["medically-necessary", "not-covered"]


def test_a_lead_in_takes_the_status_the_sentence_after_its_list_gives(parsed):
    """Humana's Coverage Limitations: 'Humana members may NOT be eligible under the Plan for ...
    including, but may not be limited to: • Adjunct to in vitro chemoresistance ... • CureMatch
    (0794T) • LungOI (0414U)' then, after a page break, 'These are considered
    experimental/investigational as they are not identified as widely used ...'."""
    facts = parsed("humana-HUM-0595-comprehensive-genomic-profiling-solid-tumors.txt")
    lead = [s for s in facts.statements if s.text.startswith("Humana members may NOT be eligible under the Plan")]
    assert [s.status for s in lead] == ["investigational"]
    assert [c.text for c in lead[0].criteria] == ["Adjunct to in vitro chemoresistance and chemosensitivity assays",
                                                  "CureMatch (0794T)", "LungOI (0414U)"]
    assert any(s.text.startswith("These are considered experimental/investigational") for s in facts.statements)


def test_a_grid_row_whose_status_is_a_clause_is_a_statement(parsed):
    """Kaiser WA's grid: '... Deafness and Hearing Loss, Nonsyndromic - GJB2, MT-RNR1, MT-TS1,
    POU3F4, PRPS1, and SMPX Genes / There is insufficient evidence in the published medical literature
    to show clinical utility.' is long and starts with row labels, but its status is a sentence."""
    facts = parsed("kaiser-wa-genetic-screening-testing.txt")
    deafness = [s for s, t in zip(facts.statements, _texts(facts), strict=True)
                if "SMPX Genes There is insufficient evidence" in t]
    assert [s.status for s in deafness] == ["investigational"]
