"""Real policies of 15 payers (tests/fixtures/real, with SOURCES.json) are read, not refused.

Every document parses with its payer (the family profile's, checked against where the crawler
fetched it), an identifier or a title key, and facts whose spans are exact.  The fidelity
benchmark against the hand-made gold files (tests/fixtures/gold, written by reading the
documents) holds identity at 100% and invents no status.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.bench.fidelity import CODES, HISTORY, IDENTIFIER, PAYER, PMIDS, REFERENCES, STATEMENTS, TITLE
from explorer.bench.fidelity_run import load_payer_vocabulary, run_fidelity
from explorer.ingest import parse_policy_file

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
SOURCES = json.loads((REAL / "SOURCES.json").read_text(encoding="utf-8"))
TEXT_SOURCES = [s for s in SOURCES if s["file"].endswith(".txt")]


@pytest.fixture(scope="module")
def parsed(real_facts):
    """Every real text document's facts (parsed once a session: tests/conftest.py's ``real_facts``)."""
    return {s["file"]: real_facts(REAL / s["file"]) for s in TEXT_SOURCES}


@pytest.mark.parametrize("source", TEXT_SOURCES, ids=lambda s: s["file"])
def test_each_real_policy_is_read_with_its_payer_and_exact_spans(parsed, source):
    facts = parsed[source["file"]]
    payers = load_payer_vocabulary()
    assert payers.resolve(facts.payer) == source["payer"].replace("kaiser", "kaiser-wa")
    assert facts.title and facts.number
    assert facts.identifier is None or facts.identifier in facts.text
    spans = [s.span for s in facts.statements] + [c.span for c in facts.codes] + [r.span for r in facts.references]
    spans += [h.span for h in facts.history]
    assert all(facts.text[s.start:s.end] == s.quote for s in spans)
    if facts.identifier is None:
        assert "no policy identifier printed: the policy is keyed by its title" in facts.warnings


def test_two_dated_versions_of_a_policy_share_their_identity(parsed):
    for stem in ("geisinger-MP360-minimal-residual-disease", "molina-MCP-051-genetic-testing",
                 "bcbst-ctdna-liquid-biopsy", "bcbssc-liquid-biopsy"):
        a, b = (parsed[f"{stem}.{d}.txt"] for d in ("2026-02-05", "2026-03-22"))
        assert (a.payer, a.number, a.title) == (b.payer, b.number, b.title), stem


def test_statuses_in_payers_wording_are_normalised(parsed):
    """Each family's own words for a determination map to the normalised statuses."""
    anthem = parsed["anthem-LAB.00015-circulating-tumor-cells.txt"]
    assert {s.status for s in anthem.statements} == {"investigational", "not-medically-necessary"}
    evicore = parsed["evicore-multi-cancer-early-detection-2026.txt"]
    assert [s.status for s in evicore.statements] == ["investigational"]
    assert "Experimental, Investigational, or Unproven" in evicore.statements[0].status_label
    cms = parsed["cms-NCD-90.2-next-generation-sequencing.2026-02-05.txt"]
    assert {"medically-necessary", "not-covered"} <= {s.status for s in cms.statements}


def test_definitions_and_disclaimers_are_not_statements(parsed):
    for facts in parsed.values():
        for s in facts.statements:
            assert " means " not in f" {s.text} ", (facts.path, s.text)


def test_fidelity_on_the_gold_files():
    report = run_fidelity()
    scored = [s for s in report.scores if s.error is None]
    assert len(scored) >= 16, [(s.file, s.error) for s in report.scores if s.error]
    assert len({report.families[s.file] for s in scored}) >= 8
    for fact in (IDENTIFIER, PAYER, TITLE):
        wrong = [s.file for s in scored if s.checks.get(fact) is False]
        assert not wrong, (fact, wrong)
    assert report.invented == []
    overall = report.overall
    # issue 13's targets: statements R >= 90% P >= 95%, codes 98/98, PMIDs 98/100, references within 5%,
    # newest history date >= 90%; held here at the figures reached (README, "Fidelity benchmark").
    floors = {STATEMENTS: (0.96, 0.98), CODES: (0.97, 0.98), PMIDS: (0.98, 1.0)}
    for fact, (recall, precision) in floors.items():
        counts = overall.counts[fact]
        assert counts.recall >= recall and counts.precision >= precision, (fact, counts.to_json())
    assert overall.share(HISTORY) == 1.0
    assert overall.share(REFERENCES) == 1.0  # every document's reference count within 5%
    seed = next(s for s in report.scores if s.file.startswith("bcbsma-338"))
    assert all(seed.checks.values()) and all(c.recall == 1.0 and c.precision == 1.0 for c in seed.counts.values())


def test_codes_never_come_from_numbers_that_are_not_codes():
    """ZIP codes after a state, phone numbers, '>20000 regions', years: never codes."""
    from explorer.ingest import parse_policy

    text = ("Policy Number: 9\nPolicy\nTest X is considered medically necessary for all members of the plan.\n"
            "Coding\nCPT 81162 BRCA1 full sequence analysis\n0569U methylation markers (>20000 regions)\n"
            "400 Buckwalter Place Boulevard, Bluffton, SC 29910 (800) 918-8924 Copyright 2025\n"
            "ICD-10 C50.911 Malignant neoplasm of right female breast\n")
    codes = {(c.system, c.code) for c in parse_policy(text, "codes.txt").codes}
    assert codes == {("CPT", "81162"), ("CPT", "0569U"), ("ICD-10-CM", "C50.911")}


def test_a_criteria_grid_lists_its_codes_where_the_family_says_so():
    """Kaiser WA's grid: 'CPT 81381', 'HCPC: S3852', Medicare table rows '0239U 1/1/2021 ...'."""
    facts = next(iter([parse_policy_file(REAL / "kaiser-wa-genetic-screening-testing.txt")]))
    codes = {(c.system, c.code) for c in facts.codes}
    assert {("CPT", "0239U"), ("CPT", "0037U"), ("HCPCS", "S3852")} <= codes
    assert all(facts.text[c.span.start:c.span.end] == c.span.quote for c in facts.codes)


def test_lines_of_business_from_the_header(parsed):
    """Humana: 'Line of Business: Commercial'; Geisinger: 'Applicable line of business: Commercial x
    Medicaid x / Medicare x ACA x / CHIP x'."""
    assert parsed["humana-HUM-0595-comprehensive-genomic-profiling-solid-tumors.txt"].applies_to == ("Commercial",)
    geisinger = parsed["geisinger-MP360-minimal-residual-disease.2026-03-22.txt"]
    assert geisinger.applies_to == ("Commercial", "Medicaid", "Medicare", "Marketplace", "CHIP")
