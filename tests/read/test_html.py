"""HTML: the page's text without site chrome; blocks as lines, tables as tab-separated rows, list
items as "- " lines; the seed policy's web page gives the same facts as its text rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.errors import PolicyParseError
from explorer.ingest import parse_policy, parse_policy_file
from explorer.read import read_bytes, read_document
from tests.factsutil import content

# the seed policy as its payer's page would serve it: site header and navigation, a search form,
# breadcrumbs, scripts (inline, JSON-LD, external), a style sheet, noscript, an SVG logo, a hidden
# cookie banner, a footer; the policy in <main><article> (written for these tests)
PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "html" / "bcbsma-338-donor-lymphocyte-infusion.html"
CHROME = ["Find a Doctor", "Shop Plans", "Member Log In", "Provider Central", "Search the site", "Search policies",
          "Medical policies only", "Skip to main content", "Breadcrumb", "Contact Us", "Privacy", "All rights reserved",
          "Accept cookies", "We use cookies", "dataLayer", "gtag", "trackingPayload", "Please enable JavaScript",
          "Blue Cross Blue Shield logo", "Helvetica", "font-family", "Medical Policies \u203a"]


@pytest.fixture(scope="module")
def page():
    return read_document(PAGE)


def test_media_type_name_and_hashes(page):
    import hashlib

    assert (page.media_type, page.name) == ("text/html", PAGE.name)
    assert page.original_sha256 == hashlib.sha256(PAGE.read_bytes()).hexdigest() != page.sha256


@pytest.mark.parametrize("chrome", CHROME)
def test_no_site_chrome_script_or_style(page, chrome):
    assert chrome not in page.text


def test_the_policy_statements_are_there(page, seed_web_path):
    for statement in parse_policy_file(seed_web_path).statements:
        assert statement.text.replace("**", "") in page.text


def test_blocks_lists_tables(page):
    lines = page.text.split("\n")
    assert "Policy History" in lines and "References" in lines  # headings on their own lines
    assert "- Policy: Commercial" in lines  # list items
    assert "\tOutpatient" in lines  # an empty header cell, then a cell
    assert "Medicare PPO Blue SM\tPrior authorization is not required ." in lines
    assert "4/2019\tPrior authorization information clarified." in lines
    assert any(line.startswith("1. Deol A, Lum LG.") for line in lines)  # <ol> keeps its numbers
    assert any(line.startswith("28. National Comprehensive Cancer Network") for line in lines)
    assert "Policy Number: 338\n\nBCBSA Reference Number" in page.text  # paragraphs: a blank line apart


def test_the_web_page_gives_the_same_facts_as_the_text_rendering(seed_web_path):
    from_page = parse_policy_file(PAGE)
    from_text = parse_policy_file(seed_web_path)
    for name in ("statements", "prior_authorization", "codes", "history", "references", "applies_to"):
        assert content(getattr(from_page, name)) == content(getattr(from_text, name)), name
    assert (from_page.number, from_page.title) == (from_text.number, from_text.title)
    assert from_page.media_type == "text/html" and from_page.source_name == PAGE.name


def text_of(html: str, name: str = "page.html") -> str:
    return read_bytes(html.encode("utf-8"), name).text


def test_without_main_the_body_minus_chrome_and_an_articles_own_header_is_kept():
    html = """<html><body><header>Site Header</header><nav>Menu</nav>
      <article><header><h1>Policy Title</h1></header><p>Body   text
      over lines</p><footer>Article footer</footer></article><footer>Site Footer</footer></body></html>"""
    assert text_of(html) == "Policy Title\n\nBody text over lines\n\nArticle footer\n"


def test_inline_br_pre_and_cells_with_blocks():
    html = """<html><body><p>a <b>bold</b>&nbsp;word<br>next line</p>
      <pre>  keep   this
  as is</pre>
      <table><tr><th>Code</th><th>Description</th></tr>
      <tr><td><p>81479</p></td><td>Unlisted<br>molecular <ul><li>one</li><li>two</li></ul></td></tr></table>
      <ol start="3"><li>third</li><li>fourth <ul><li>nested</li></ul></li></ol></body></html>"""
    assert text_of(html) == (
        "a bold word\nnext line\n\n  keep   this\n  as is\n\nCode\tDescription\n81479\tUnlisted molecular one two\n\n"
        "3. third\n4. fourth\n- nested\n")


def test_hidden_and_aria_hidden_are_dropped():
    html = '<html><body><p>seen</p><div hidden>unseen</div><span aria-hidden="true">icon</span></body></html>'
    assert text_of(html) == "seen\n"


def test_deep_nesting_does_not_overflow():
    html = "<html><body>" + "<div>" * 20_000 + "deep" + "</div>" * 20_000 + "</body></html>"
    assert text_of(html) == "deep\n"


def test_declared_charset_is_honoured_and_windows_1252_for_latin_1():
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>M\xe9dicale \u201cquoted\u201d</p></body></html>'
    assert read_bytes(html.encode("cp1252"), "p.html").text == "M\xe9dicale \u201cquoted\u201d\n"


def test_undeclared_non_utf8_html_names_the_byte():
    with pytest.raises(PolicyParseError, match=r"not UTF-8 HTML .*byte 0xe9 at offset 21"):
        read_bytes(b"<html><body><p>Polic \xe9</p>", "p.html")


def test_unknown_charset_is_refused():
    with pytest.raises(PolicyParseError, match="unknown charset 'klingon'"):
        read_bytes(b'<html><meta charset="klingon"><p>x</p></html>', "p.html")


def test_a_page_of_only_chrome_has_no_text():
    with pytest.raises(PolicyParseError, match=r"no text in the document \(text/html\)"):
        read_bytes(b"<!doctype html><html><body><nav>Home</nav><script>x()</script></body></html>", "nav.html")


def test_parse_policy_reads_the_same_text():
    """The text of record is what the parser reads: spans index into it."""
    facts = parse_policy_file(PAGE)
    doc = read_document(PAGE)
    assert facts.text == doc.text and facts.sha256 == doc.sha256
    assert all(doc.text[s.span.start:s.span.end] == s.span.quote for s in facts.statements)
    assert parse_policy(doc.text, "x").statements == facts.statements
