"""PDF: pdfplumber's text, pages split by a form feed, ruled tables as tab-separated rows; an
encrypted, corrupt or text-less PDF is one clear error."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from explorer.errors import PolicyParseError
from explorer.ingest import parse_policy_file
from explorer.read import read_bytes, read_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# the seed policy printed by chromium (--print-to-pdf) from its HTML, with chromium's running
# header (date, title) and footer (URL, page n/6): 6 pages, ruled tables
SEED_PDF = FIXTURES / "pdf" / "bcbsma-338-donor-lymphocyte-infusion.pdf"
REAL_DAMAGED = FIXTURES / "real" / "bcbsks-ctdna-liquid-biopsy.pdf"


def words(text: str) -> str:
    """Whitespace-insensitive, and a line broken after a hyphen joined back."""
    return re.sub(r"- ", "-", " ".join(text.replace("**", "").split()))


@pytest.fixture(scope="module")
def seed_pdf():
    return read_document(SEED_PDF)


def test_pages_are_separated_by_form_feeds(seed_pdf):
    pages = seed_pdf.text.split("\f")
    assert len(pages) == 6
    assert [re.search(r"(\d)/6\s*$", p).group(1) for p in pages] == ["1", "2", "3", "4", "5", "6"]


def test_hashes_and_media_type(seed_pdf):
    import hashlib

    assert seed_pdf.media_type == "application/pdf" and seed_pdf.name == SEED_PDF.name
    assert seed_pdf.original_sha256 == hashlib.sha256(SEED_PDF.read_bytes()).hexdigest()
    assert seed_pdf.sha256 == hashlib.sha256(seed_pdf.text.encode("utf-8")).hexdigest()


def test_every_statement_of_the_policy_is_in_the_text(seed_pdf, seed_web_path):
    flat = words(seed_pdf.text)
    for facts_statement in parse_policy_file(seed_web_path).statements:
        assert words(facts_statement.text) in flat


def test_ruled_tables_are_rows_of_tab_separated_cells(seed_pdf):
    lines = seed_pdf.text.split("\n")
    assert "Medicare PPO Blue SM\tPrior authorization is not required ." in lines
    assert "Commercial Managed Care (HMO and POS)\tPrior authorization is not required ." in lines
    assert "4/2019\tPrior authorization information clarified." in lines
    assert "11/2011-4/2012\tMedical policy ICD 10 remediation: Formatting, editing and coding updates. No changes " \
           "to policy statements." in lines  # a cell wrapped after a hyphen joins without a space
    assert any(line.startswith("38242\tBone marrow or blood-derived") for line in lines)


def test_text_is_faithful_ligatures_expanded_hyphens_kept(seed_pdf):
    assert not re.search("[\ufb00-\ufb06]", seed_pdf.text)
    assert "clarified" in seed_pdf.text
    assert "industry-\nstandard" in seed_pdf.text  # printed so; the layout code may join it
    assert "\x00" not in seed_pdf.text and "\r" not in seed_pdf.text


def test_the_pdf_parses_into_the_policys_statements():
    facts = parse_policy_file(SEED_PDF)
    assert facts.media_type == "application/pdf" and facts.source_name == SEED_PDF.name
    assert [s.status for s in facts.statements] == [
        "medically-necessary", "investigational", "investigational", "investigational"]
    assert all(facts.text[s.span.start:s.span.end] == s.span.quote for s in facts.statements)
    assert len(facts.references) == 28


def test_a_pdf_saved_as_text_by_a_crawler_keeps_only_its_salvaged_metadata():
    """The real BCBSKS file: binary bytes replaced by U+FFFD, line ends removed; no library reads its
    pages.  Its uncompressed XMP metadata survives: the policy is ingested with its title and payer,
    and the first warning says the file is damaged and must be fetched again."""
    doc = read_document(REAL_DAMAGED)
    assert doc.damage and "fetch the original file" in doc.damage
    assert "BCBSKS Circulating Tumor DNA and Circulating Tumor Cells" in doc.text and "\ufffd" not in doc.text
    facts = parse_policy_file(REAL_DAMAGED)
    assert facts.payer == "Blue Cross and Blue Shield of Kansas" and facts.identifier is None
    assert facts.title == "Circulating Tumor DNA and Circulating Tumor Cells for Cancer Management (Liquid Biopsy)"
    assert facts.warnings[0] == doc.damage and facts.statements == () and facts.codes == ()


def test_a_mangled_pdf_with_nothing_to_salvage_is_refused_with_the_reason():
    data = b"%PDF-1.7 " + b"\xef\xbf\xbd" * 40 + b" 1 0 obj >stream " + b"\xef\xbf\xbd" * 40 + b" endstream endobj"
    with pytest.raises(PolicyParseError, match="corrupt PDF: its binary bytes were replaced") as info:
        read_bytes(data, "mangled.pdf")
    assert info.value.path == "mangled.pdf" and "\n" not in str(info.value)


def test_encrypted_pdf_needing_a_password():
    with pytest.raises(PolicyParseError, match=r"encrypted PDF \(a password is needed"):
        read_document(FIXTURES / "pdf" / "encrypted-password.pdf")


def test_encrypted_pdf_with_an_empty_user_password_is_read():
    doc = read_document(FIXTURES / "pdf" / "encrypted-no-password.pdf")
    assert "Donor Lymphocyte Infusion" in doc.text


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\nnot really\n%%EOF\n",
    SEED_PDF.read_bytes()[:20_000],
    SEED_PDF.read_bytes()[:200] + bytes(range(256)) * 40,
])
def test_corrupt_pdf_is_one_line(data):
    with pytest.raises(PolicyParseError, match=r"^broken\.pdf: corrupt PDF \(") as info:
        read_bytes(data, "broken.pdf")
    assert "\n" not in str(info.value)


def test_a_pdf_without_a_text_layer_needs_ocr():
    import pypdfium2 as pdfium  # pdfplumber's own dependency

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(612, 792)
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(PolicyParseError, match="no text layer"):
        read_bytes(out.getvalue(), "scan.pdf")
