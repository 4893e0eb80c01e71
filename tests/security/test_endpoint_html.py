"""Hostile document text served by the SPARQL endpoint stays text: a policy whose title, statement
and reference carry ``<script>``, ``"><img onerror=...>`` and ``javascript:`` is ingested, served
over real HTTP, and fetched the way analysts do (browser, YASGUI, curl): every answer keeps the text
verbatim as data, escaped, in a non-HTML type with ``nosniff`` and a script-free CSP; chromium opens
the pages and runs nothing, loads nothing.

The endpoint's only HTML page (``/``) shows catalog titles; its catalog here holds a query whose
title is hostile too."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from explorer.endpoint import EndpointConfig
from explorer.endpoint.app import CONTENT_SECURITY_POLICY
from explorer.resources import queries_dir
from tests.endpoint.http import Reply, Served, get_query, request, serve
from tests.security.conftest import HOSTILE_REFERENCE_TITLE, HOSTILE_STATEMENT, HOSTILE_TITLE, XSS

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SR = "{http://www.w3.org/2005/sparql-results#}"
HOSTILE_CATALOG_TITLE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> Titles'
HOSTILE_QUERY = """# title: <script>alert(1)</script> "><img src=x onerror=alert(1)> Titles
# description: javascript:alert(1)
# columns: title
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?title WHERE { ?p dcterms:title ?title }
"""
TITLES_CONSTRUCT = """PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT { ?s dcterms:title ?title } WHERE { ?s dcterms:title ?title }"""
#: catalog query -> a value of one of its columns that must come back verbatim
HOSTILE_VALUES = {
    "policies": ("title", HOSTILE_TITLE),
    "coverage-statements": ("text", HOSTILE_STATEMENT),
    "references": ("title", HOSTILE_REFERENCE_TITLE),
}
# rdflib's in-memory Dataset warns on every quad lookup: noise, and costly to record by the thousand
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
_LIVE = re.compile(r"<\s*(script|img|iframe|svg|object|embed)\b|<[^>]*\son\w+\s*=|"
                   r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def live_markup(text: str) -> list[str]:
    """Tags or attributes a browser would act on: script/img/iframe/svg tags, on* handlers,
    javascript: links."""
    return [m.group(0) for m in _LIVE.finditer(text)]


@pytest.fixture(scope="module")
def hostile_endpoint(hostile_store: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    catalog = tmp_path_factory.mktemp("hostile-catalog")
    for path in Path(queries_dir()).glob("*.rq"):
        shutil.copy(path, catalog)
    (catalog / "hostile-titles.rq").write_text(HOSTILE_QUERY, encoding="utf-8")
    with serve(hostile_store, EndpointConfig(catalog_dir=str(catalog))) as served:
        yield served


def _assert_served_as_data(reply: Reply) -> None:
    assert reply.status == 200, reply.text
    assert "html" not in reply.content_type
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("name", sorted(HOSTILE_VALUES))
def test_results_a_browser_gets_keep_markup_as_escaped_text(hostile_endpoint, name):
    """A browser's Accept gets SPARQL XML results: the markup is character data, not elements."""
    column, value = HOSTILE_VALUES[name]
    reply = request(f"{hostile_endpoint.base}/queries/{name}", headers={"Accept": BROWSER_ACCEPT})
    _assert_served_as_data(reply)
    assert reply.content_type == "application/xml"
    assert live_markup(reply.text) == []
    assert "&lt;script&gt;" in reply.text or "&lt;img" in reply.text
    root = ET.fromstring(reply.body)
    assert {element.tag.partition("}")[0] + "}" for element in root.iter()} == {SR}  # no XHTML/SVG element
    values = [b.findtext(f"{SR}literal") for b in root.iter(f"{SR}binding") if b.get("name") == column]
    assert value in values                                                      # verbatim, not dropped
    assert not [u.text for u in root.iter(f"{SR}uri") if (u.text or "").lower().startswith("javascript:")]


def test_references_keep_the_javascript_url_as_inert_text(hostile_endpoint):
    reply = request(f"{hostile_endpoint.base}/queries/references", params={"format": "json"})
    _assert_served_as_data(reply)
    rows = json.loads(reply.body)["results"]["bindings"]
    assert any("javascript:alert(1)" in row["quote"]["value"] for row in rows)
    urls = [row["url"]["value"] for row in rows if "url" in row]
    assert urls  # other references keep their links ...
    assert all(url.startswith(("http://", "https://")) for url in urls)  # ... and javascript: is never one


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_formats_are_data_with_the_text_verbatim(hostile_endpoint, fmt):
    reply = request(f"{hostile_endpoint.base}/queries/coverage-statements", params={"format": fmt})
    _assert_served_as_data(reply)
    if fmt == "json":
        texts = [b["text"]["value"] for b in json.loads(reply.body)["results"]["bindings"]]
    elif fmt == "xml":
        texts = [b.findtext(f"{SR}literal") for b in ET.fromstring(reply.body).iter(f"{SR}binding")
                 if b.get("name") == "text"]
    elif fmt == "csv":
        texts = [row["text"] for row in csv.DictReader(io.StringIO(reply.text))]
    else:
        header, *lines = reply.text.splitlines()
        column = header.split("\t").index("?text")
        texts = [line.split("\t")[column] for line in lines]
        assert Literal(HOSTILE_STATEMENT).n3() in texts
        return
    assert HOSTILE_STATEMENT in texts


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                     ("rdfxml", "xml")])
def test_construct_formats_are_data_with_the_text_verbatim(hostile_endpoint, fmt, rdflib_format):
    reply = get_query(hostile_endpoint.url, TITLES_CONSTRUCT, format=fmt)
    _assert_served_as_data(reply)
    titles = set(Graph().parse(data=reply.body, format=rdflib_format).objects())
    assert {Literal(HOSTILE_TITLE), Literal(HOSTILE_REFERENCE_TITLE)} <= titles
    if fmt == "rdfxml":
        assert live_markup(reply.text) == []


class _Page(HTMLParser):
    """The start tags (with attributes) and the text of an HTML page, as a browser parses them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_home_page_escapes_catalog_titles(hostile_endpoint):
    reply = request(hostile_endpoint.base + "/")
    assert reply.status == 200 and reply.content_type == "text/html"
    assert reply.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert live_markup(reply.text) == []
    assert HOSTILE_QUERY.startswith(f"# title: {HOSTILE_CATALOG_TITLE}\n")
    parser = _Page(reply.text)
    assert {tag for tag, _ in parser.tags} <= {"html", "head", "meta", "title", "body", "h1", "h2", "p", "code",
                                               "form", "textarea", "br", "select", "option", "button", "ul",
                                               "li", "a"}
    for _, attrs in parser.tags:
        assert not [name for name, _ in attrs if name.startswith("on")]
        assert all((value or "").startswith("/") for name, value in attrs if name in ("href", "action", "src"))
    assert HOSTILE_CATALOG_TITLE in "".join(parser.text)  # shown, as text (HTMLParser unescapes it)


@pytest.mark.parametrize("path", ["/<script>alert(1)</script>", '/queries/"><img src=x onerror=alert(1)>',
                                  "/sparql?query=<script>alert(1)</script>"])
def test_request_text_echoed_in_errors_is_plain_text(hostile_endpoint, path):
    reply = request(hostile_endpoint.base + urllib.parse.quote(path, safe="/?="))
    assert reply.status in (400, 404)
    assert reply.content_type == "text/plain"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_hostile_pages_run_nothing_in_chromium(hostile_endpoint):
    from tests.browser_support import Watch, launch_chromium

    base = hostile_endpoint.base
    pages = {  # url -> hostile text the page must show, as text
        base + "/": "<script>alert(1)</script>",
        base + "/queries/policies": XSS[0],
        base + "/queries/coverage-statements": XSS[1],
        base + "/queries/references": XSS[0],
        base + "/queries/references?format=json": XSS[2],
        base + "/queries/hostile-titles?format=json": XSS[0],
        base + "/sparql?" + urllib.parse.urlencode({"query": TITLES_CONSTRUCT, "format": "ttl"}): XSS[0],
        base + "/sparql?" + urllib.parse.urlencode({"query": XSS[0]}): "",
        base + "/" + urllib.parse.quote(XSS[1]): "",
    }
    with launch_chromium() as browser:
        page = browser.new_page()
        watch = Watch(page, allowed_prefixes=(base + "/",))
        requested: list[str] = []
        page.on("request", lambda req: requested.append(req.url))
        for url, shown in pages.items():
            requested.clear()
            page.goto(url)
            page.wait_for_load_state("load")
            assert requested == [url]            # no <img src=x>, no script, stylesheet or frame fetched
            live = page.evaluate("() => document.querySelectorAll("
                                 "'script, img, iframe, object, embed, [onerror], [onload], [href^=\"javascript\"]'"
                                 ").length")
            assert live == 0, url
            assert shown in page.evaluate("() => document.documentElement.textContent"), url
        assert watch.dialogs == [] and watch.errors == [] and watch.blocked == []
