"""Plain text and Markdown: strict UTF-8, verbatim (CRLF kept), a BOM hashed but not text; the
format is found by content, then by suffix; a file is read at most up to the size limit."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from explorer.errors import PolicyParseError
from explorer.ingest import parse_policy_bytes, parse_policy_file
from explorer.read import MAX_DOCUMENT_BYTES, detect_media_type, read_bytes, read_document


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_text_file_is_its_own_text_of_record(seed_web_path):
    doc = read_document(seed_web_path)
    data = seed_web_path.read_bytes()
    assert doc.text == data.decode("utf-8")
    assert (doc.name, doc.media_type) == (seed_web_path.name, "text/plain")
    assert doc.original_sha256 == doc.sha256 == sha(data)


def test_the_name_never_has_a_directory(tmp_path, seed_web_path):
    path = tmp_path / "deep" / "policy.md"
    path.parent.mkdir()
    path.write_bytes(seed_web_path.read_bytes())
    doc = read_document(path.resolve())
    assert (doc.name, doc.media_type) == ("policy.md", "text/markdown")
    assert read_bytes(b"x", "/abs/dir/other.txt").name == "other.txt"


def test_a_bom_is_hashed_but_not_text(seed_web_path):
    data = seed_web_path.read_bytes()
    doc = read_bytes(b"\xef\xbb\xbf" + data, "bom.txt")
    assert doc.text == data.decode("utf-8") and not doc.text.startswith("\ufeff")
    assert doc.original_sha256 == sha(b"\xef\xbb\xbf" + data) and doc.sha256 == sha(data)
    facts = parse_policy_bytes(b"\xef\xbb\xbf" + data, "bom.txt")
    assert all(facts.text[s.span.start:s.span.end] == s.span.quote for s in facts.statements)


def test_crlf_is_kept_verbatim(seed_web_path):
    data = seed_web_path.read_bytes().replace(b"\n", b"\r\n")
    doc = read_bytes(data, "windows.txt")
    assert doc.text.encode("utf-8") == data and doc.sha256 == doc.original_sha256


def test_not_utf8_names_the_byte_offset_in_the_file():
    data = b"\xef\xbb\xbfline one\nline \xe4two\n"
    with pytest.raises(PolicyParseError, match=r"not UTF-8 text \(byte 0xe4 at offset 17\)") as info:
        read_bytes(data, "latin1.txt")
    assert info.value.line == 2 and str(info.value).startswith("latin1.txt, line 2: ")


def test_nul_bytes_are_binary_not_text():
    with pytest.raises(PolicyParseError, match=r"binary data \(NUL byte at offset 5\)"):
        read_bytes(b"Title\x00\x01\x02", "blob.txt")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_empty(data):
    with pytest.raises(PolicyParseError, match="empty document"):
        read_bytes(data, "empty.txt")


def test_too_large_is_refused_after_reading_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(PolicyParseError, match="limit") as info:
        read_document(path)
    assert info.value.path == str(path)
    path.write_bytes(b"Policy\n" + b"x" * (MAX_DOCUMENT_BYTES - 7))  # exactly the limit: read
    assert len(read_document(path).text) == MAX_DOCUMENT_BYTES


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.timeout(30)
def test_dev_zero_is_refused_without_reading_forever():
    """Regression (issue 11): the size was checked with st_size, which is 0 for a device."""
    with pytest.raises(PolicyParseError, match="limit"):
        read_document("/dev/zero")


def test_a_folder_or_a_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(PolicyParseError, match="is a folder"):
        read_document(tmp_path)
    with pytest.raises(PolicyParseError, match="cannot read file") as info:
        parse_policy_file(tmp_path / "nope.txt")
    assert info.value.path == str(tmp_path / "nope.txt")


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"%PDF-1.7\n...", "policy.txt", "application/pdf"),
    (b"\xef\xbb\xbf%PDF-1.4\n...", "x", "application/pdf"),
    (b"<!DOCTYPE html>\n<html><body>x</body></html>", "policy.txt", "text/html"),
    (b"\n  <HTML lang=en><p>x", "saved", "text/html"),
    (b"plain words", "page.HTM", "text/html"),
    (b"plain words", "policy.pdf", "application/pdf"),
    (b"# Title", "policy.md", "text/markdown"),
    (b"plain words", "policy.bin", "text/plain"),
])
def test_format_by_content_then_by_suffix(data, name, expected):
    assert detect_media_type(data, name) == expected


def test_facts_keep_the_file_name_and_both_hashes(tmp_path, seed_web_path):
    path = tmp_path / "copy.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_web_path.read_bytes())
    facts = parse_policy_file(path)
    assert (facts.path, facts.source_name, facts.media_type) == ("copy.txt", "copy.txt", "text/plain")
    assert facts.original_sha256 == sha(path.read_bytes())
    assert facts.sha256 == sha(facts.text.encode("utf-8")) != facts.original_sha256
