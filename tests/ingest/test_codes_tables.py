"""Codes of the policy in the grids and tables of real documents (issue 13 item 3): what the gold
files count (tests/fixtures/gold, written from the documents) and what they leave out."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def kaiser() -> PolicyFacts:
    return parse_policy_file(REAL / "kaiser-wa-genetic-screening-testing.txt")


def test_a_grid_row_of_a_test_name_and_its_code(kaiser):
    # "Test Criteria / Afirma 81546 / Thyroseq 0026U / There is insufficient evidence ..."
    listed = {c.code: c for c in kaiser.codes}
    assert {"81546", "0026U"} <= set(listed)
    assert kaiser.text[listed["81546"].span.start:listed["81546"].span.end] == "81546"


def test_tables_continuing_under_a_description_heading(kaiser):
    # each "Symgene Focus- Targeted NGS Cancer Panel (...): CPT® or HCPC Codes / Description" table
    # after "Applicable Codes": "81445 Targeted genomic sequence analysis panel ...", "G0452 ..."
    listed = {(c.system, c.code) for c in kaiser.codes}
    assert {("CPT", "81445"), ("CPT", "81457"), ("CPT", "88360"), ("HCPCS", "G0452"), ("CPT", "0485U")} <= listed


def test_a_code_wrapped_inside_a_running_sentence_is_a_mention(kaiser):
    # "... analysis of the SMN1 gene (CPT code\n81329), as described by the American College ..."
    # and "will cover carrier testing for SMA (CPT 81329) without prior authorization": the gold
    # leaves 81329 out of the codes; the statements mention it
    assert "81329" not in {c.code for c in kaiser.codes}
    assert "81329" in {m.code for m in kaiser.code_mentions}
    # "(CPT Codes\n0245U+0018U)" on a grid row of its own stays a code of the policy
    assert {"0245U", "0018U"} <= {c.code for c in kaiser.codes}


def test_highmark_test_list_labels_are_codes():
    # L-113: "OneOme RightMed , [... decision support from OneOme, LLC] CPT 0015U Pain Medication ..."
    facts = parse_policy_file(REAL / "highmark-L-113-investigational-molecular-testing.txt")
    assert "0015U" in {c.code for c in facts.codes}


def test_a_code_glued_to_its_description_is_a_row(parsed):
    # Molina MCP-051 (2026-02-05 rendering): the PDF text glues code and first cell,
    # "81120IDH1  (isocitrate  dehydrogenase  1 ...", "81479Unlisted molecular pathology procedure";
    # the 2026-03-22 rendering of the same table prints "81120 IDH1 ..." and reads the same codes
    older = parsed("molina-MCP-051-genetic-testing.2026-02-05.txt")
    newer = parsed("molina-MCP-051-genetic-testing.2026-03-22.txt")
    listed = {c.code: c for c in older.codes}
    assert {"81120", "81121", "81162", "81105", "81479", "81539"} <= set(listed)
    assert listed["81120"].description.startswith("IDH1 (isocitrate dehydrogenase 1")
    assert older.text[listed["81120"].span.start:listed["81120"].span.end] == "81120"
    assert {"81120", "81479"} <= {c.code for c in newer.codes}


def test_a_row_broken_by_a_page_break_keeps_its_whole_description(parsed):
    # Geisinger MP360 (2026-03-22): "0285U Oncology, ... other systematic cancer" / blank line /
    # "treatments, cell-free DNA, ... radiation toxicity score {RadTox cfDNA test}"; Molina's 0492U
    # ends "... expressing cells," / blank / "peripheral blood"
    geisinger = {c.code: c for c in parsed("geisinger-MP360-minimal-residual-disease.2026-03-22.txt").codes}
    assert geisinger["0285U"].description.endswith("radiation toxicity score {RadTox cfDNA test}")
    molina = {c.code: c for c in parsed("molina-MCP-051-genetic-testing.2026-02-05.txt").codes}
    assert molina["0492U"].description.endswith("expressing cells, peripheral blood")
    # a new capitalised row after a blank line is not a continuation
    assert not geisinger["81445"].description.endswith("Oncology")
