"""Bad documents give a PolicyParseError naming file, line and section, or warnings; never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.errors import PolicyParseError
from explorer.ingest import parse_policy, parse_policy_bytes, parse_policy_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "policies"


@pytest.mark.parametrize(("name", "payer", "identifier"), [
    ("cms-NCD-90.2-next-generation-sequencing.txt", "Centers for Medicare & Medicaid Services", "90.2"),
    ("fepblue-2.04.141-circulating-tumor-dna-liquid-biopsy.txt",
     "Blue Cross and Blue Shield Federal Employee Program", "2.04.141"),
])
def test_other_payers_formats_are_read_by_their_family_profile(name, payer, identifier):
    facts = parse_policy_file(FIXTURES / name)
    assert (facts.payer, facts.identifier) == (payer, identifier)
    assert facts.statements and all(facts.text[s.span.start:s.span.end] == s.span.quote for s in facts.statements)


def test_a_page_without_coverage_language_is_not_a_policy():
    page = "Home | Find a Doctor | Member Login\nPolicy List\nSearch our medical policies by keyword.\n" * 20
    with pytest.raises(PolicyParseError, match="not a medical policy") as info:
        parse_policy(page, "nav.html")
    assert info.value.path == "nav.html"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("   \n\n")
    with pytest.raises(PolicyParseError, match="empty document") as info:
        parse_policy_file(path)
    assert info.value.path == str(path) and info.value.line == 1


def test_missing_file(tmp_path):
    with pytest.raises(PolicyParseError, match="cannot read file"):
        parse_policy_file(tmp_path / "nope.txt")


def test_not_utf8_names_line_and_byte(seed_web_path):
    data = seed_web_path.read_bytes().replace(b"Summary", "Summ\xe4ry".encode("latin-1"))
    with pytest.raises(PolicyParseError, match="not UTF-8") as info:
        parse_policy_bytes(data, "latin1.txt")
    line = data[: data.index(b"Summ\xe4ry")].count(b"\n") + 1
    assert info.value.line == line


def test_binary_garbage():
    with pytest.raises(PolicyParseError):
        parse_policy_bytes(bytes(range(256)) * 50, "garbage.bin")


def test_truncated_before_the_statements(seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    cut = text[: text.index("Related Policies")]
    with pytest.raises(PolicyParseError, match="no 'Policy' section") as info:
        parse_policy(cut, "cut.txt")
    assert info.value.section == "Policy"


def test_truncated_after_the_statements_warns_of_missing_sections(seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    facts = parse_policy(text[: text.index("Prior Authorization Information")], "cut.txt")
    assert len(facts.statements) == 4
    assert "optional section missing: references" in facts.warnings
    assert facts.references == () and facts.prior_authorization == ()


def test_truncated_in_the_references(seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    facts = parse_policy(text[: text.index("15. Schroeder")], "cut.txt")
    assert [r.number for r in facts.references] == list(range(1, 15))


def test_lower_case_statuses_leave_the_template_for_the_generic_reader(seed_web_path):
    """The BCBS MA template wants capitalised statuses; the generic reader finds them in any case."""
    text = seed_web_path.read_text(encoding="utf-8").replace("**", "")
    for status in ("MEDICALLY NECESSARY", "INVESTIGATIONAL"):
        text = text.replace(status, status.lower())
    facts = parse_policy(text, "nostatus.txt")
    assert facts.number == "338" and facts.family == "bcbsma"
    assert {s.status for s in facts.statements} == {"medically-necessary", "investigational"}
    assert all(text[s.span.start:s.span.end] == s.span.quote for s in facts.statements)


def test_missing_history_section_is_a_warning(seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    start, end = text.index("\nPolicy History\n"), text.index("\nInformation Pertaining to All")
    facts = parse_policy(text[:start] + text[end:], "nohistory.txt")
    assert facts.history == () and "optional section missing: policy-history" in facts.warnings


def test_document_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 6_000_000)
    with pytest.raises(PolicyParseError, match="limit"):
        parse_policy_file(path)
