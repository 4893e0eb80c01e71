"""Edited copies of the seed: the parser follows what the text says, not a memory of policy 338."""

from __future__ import annotations

import re

import pytest

from explorer.ingest import parse_policy, parse_policy_file
from tests.factsutil import assert_spans_exact, content


@pytest.fixture(scope="module")
def web_text(seed_web_path) -> str:
    return seed_web_path.read_text(encoding="utf-8")


def test_statement_added(web_text):
    added = (
        "Donor lymphocyte infusion is **NOT MEDICALLY NECESSARY** for the treatment of chronic myeloid leukemia"
        " in chronic phase."
    )
    anchor = "Genetic modification of donor lymphocytes is **INVESTIGATIONAL**."
    facts = parse_policy(web_text.replace(anchor, anchor + "\n\n" + added), "added.txt")
    assert len(facts.statements) == 5
    last = facts.statements[-1]
    assert last.status == "not-medically-necessary" and last.status_label == "NOT MEDICALLY NECESSARY"
    assert [d.disease for d in last.diseases] == ["chronic-myeloid-leukemia"]
    assert_spans_exact(facts)


def test_status_changed(web_text):
    edited = web_text.replace(
        "is **INVESTIGATIONAL** as a treatment of nonhematologic",
        "may be **MEDICALLY NECESSARY** as a treatment of nonhematologic",
    )
    facts = parse_policy(edited, "changed.txt")
    assert [s.status for s in facts.statements] == [
        "medically-necessary", "investigational", "medically-necessary", "investigational"
    ]


def test_an_unknown_capitalised_status_is_kept(web_text):
    edited = web_text.replace("Genetic modification of donor lymphocytes is **INVESTIGATIONAL**.",
                              "Genetic modification of donor lymphocytes is **NOT COVERED UNDER THE PLAN**.")
    facts = parse_policy(edited, "unknown-status.txt")
    assert facts.statements[-1].status == "not-covered-under-the-plan"


def test_references_renumbered(web_text):
    # drop reference 2 and renumber the rest, as a policy revision would
    lines = web_text.split("\n")
    out = []
    for line in lines:
        m = re.match(r"^(\s*)(\d+)\. (.*)$", line)
        if m and int(m.group(2)) == 2:
            continue
        if m and int(m.group(2)) > 2:
            line = f"{m.group(1)}{int(m.group(2)) - 1}. {m.group(3)}"
        out.append(line)
    facts = parse_policy("\n".join(out), "renumbered.txt")
    assert [r.number for r in facts.references] == list(range(1, 28))
    assert [r.number for r in facts.references if r.pmid is None] == [2, 25, 26, 27]
    assert facts.references[0].pmid == "20381970"
    assert facts.references[16].pmid == "9354693"  # was reference 18


def test_windows_line_endings_give_the_same_facts(web_text):
    unix = parse_policy(web_text, "unix.txt")
    windows = parse_policy(web_text.replace("\n", "\r\n"), "windows.txt")
    assert content(windows) == content(unix)
    assert_spans_exact(windows)
    assert "\r\n" in windows.statements[0].span.quote or "\r\n" in windows.references[0].text + windows.text


def test_reference_split_across_lines(web_text):
    ref12 = next(line for line in web_text.split("\n") if line.startswith("12. "))
    words = ref12.split(" ")
    wrapped = "\n".join(" ".join(words[i : i + 9]) for i in range(0, len(words), 9))
    facts = parse_policy(web_text.replace(ref12, wrapped), "wrapped.txt")
    original = parse_policy(web_text, "seed.txt")
    assert content(facts.references[11]) == content(original.references[11])
    assert facts.references[11].pmid == "17909197"
    assert_spans_exact(facts)


def test_prior_auth_cell_that_is_a_paragraph(seed_pdf_path):
    text = seed_pdf_path.read_text(encoding="utf-8")
    cell = "Medicare PPO Blue SM \nPrior authorization is not required . "
    assert cell in text
    vendor = ("Medicare PPO Blue SM \nRequires prior authorization via a radiology benefit manager; \n"
              "requirements are member-specific. ")
    facts = parse_policy(text.replace(cell, vendor), "vendor.txt")
    row = next(p for p in facts.prior_authorization if p.product == "Medicare PPO Blue" and p.setting == "outpatient")
    assert row.required is True
    assert "member-specific" in row.note
    assert_spans_exact(facts)


def test_running_headers_and_footers_around_page_numbers_are_dropped(seed_pdf_path, seed_web_path):
    """Real PDF text repeats a header and a footer at every page break; they are not policy text."""
    import re

    from tests.factsutil import content

    lines = seed_pdf_path.read_text(encoding="utf-8").split("\n")
    out = []
    for i, line in enumerate(lines):
        lone_number = re.fullmatch(r"\s*\d{1,3}\s*", line) and (i == 0 or not lines[i - 1].strip()) and (
            i + 1 >= len(lines) or not lines[i + 1].strip())
        if lone_number:
            out += ["Medical Policy 338 Donor Lymphocyte Infusion   Effective 4/2019", "", line, "",
                    f"Blue Cross Blue Shield of Massachusetts   Page {line.strip()} of 8"]
        else:
            out.append(line)
    with_furniture = parse_policy("\n".join(out), "with-headers.txt")
    assert content(with_furniture) == content(parse_policy_file(seed_web_path))
    assert with_furniture.warnings == ()
    assert all("Page " not in s.text for s in with_furniture.statements)


def test_references_numbered_1000_and_up_are_read_and_gaps_are_warned(seed_web_path):
    """Issue 11: a long list's entries 1000+ were silently folded into entry 999."""
    import re

    from explorer.ingest import parse_policy

    text = seed_web_path.read_text(encoding="utf-8")
    start = text.index("\nReferences\n")
    head, tail = text[:start], text[start:]
    renumbered = re.sub(r"(?m)^(\s*)(\d{1,2})\.(\s)",
                        lambda m: f"{m.group(1)}{int(m.group(2)) + 990}.{m.group(3)}", tail)
    facts = parse_policy(head + renumbered, "long.txt")
    assert [r.number for r in facts.references] == list(range(991, 991 + 28))
    assert not any("skips" in w for w in facts.warnings)
    gap = re.sub(r"(?m)^(\s*)1018\.(\s)", r"\g<1>1118.\2", head + renumbered)
    facts = parse_policy(gap, "gap.txt")
    assert "references: numbering skips from 1017 to 1118" in facts.warnings
    assert len(facts.references) == 28


def test_unproven_in_capitals_is_investigational_in_the_template(seed_web_path):
    """BCBS MA's template reads capitalised statuses; UNPROVEN is a synonym of investigational."""
    from explorer.ingest import parse_policy

    text = seed_web_path.read_text(encoding="utf-8").replace("**INVESTIGATIONAL**", "**UNPROVEN**", 1)
    statuses = [(s.status, s.status_label) for s in parse_policy(text, "unproven.txt").statements]
    assert ("investigational", "UNPROVEN") in statuses and not any(s == "unproven" for s, _ in statuses)
