"""Hostile documents: markup in titles, statements and references stays inert in the HTML export;
huge, binary and repetitive documents end in a typed PolicyParseError or a bounded-time result."""

from __future__ import annotations

import os
import re
import time

import pytest

from explorer.errors import PolicyParseError
from explorer.ingest import parse_policy, parse_policy_bytes, parse_policy_file
from tests.security.conftest import HOSTILE_STATEMENT, HOSTILE_TITLE

GUARD_S = 60.0  # a hang guard, not a benchmark


def test_hostile_text_reaches_the_facts_verbatim(hostile_store):
    from explorer.pipeline import load_policy_facts

    facts = load_policy_facts(hostile_store, "338")
    assert facts.title == HOSTILE_TITLE
    assert HOSTILE_STATEMENT in [s.text for s in facts.statements]


def _live_markup(page: str) -> list[str]:
    """Hostile markup that a browser would run: outside JSON-escaped script data and outside text."""
    found = [m.group(0) for m in re.finditer(r"<script>alert|<img src=x onerror|href=[\"']?javascript:", page, re.I)]
    return found


def test_evidence_html_export_is_inert(hostile_store):
    evidence = pytest.importorskip("explorer.exporting")
    from explorer.render.graph_html import evidence_graph_html

    page = evidence_graph_html(evidence.evidence_graph_of(hostile_store, None), title="<script>alert(1)</script>")
    assert _live_markup(page) == []
    assert "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "\\u003cscript\\u003e" in page


def test_graphml_export_is_escaped(hostile_store):
    import networkx as nx

    evidence = pytest.importorskip("explorer.exporting")
    from explorer.render.evidence import node_attributes

    graph = evidence.evidence_graph_of(hostile_store, None)
    nxg = nx.DiGraph()
    for node in graph.nodes:
        nxg.add_node(node.id, **node_attributes(node))
    text = "\n".join(nx.generate_graphml(nxg))
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_fifty_megabyte_document_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs without writing them
    started = time.monotonic()
    with pytest.raises(PolicyParseError, match="limit"):
        parse_policy_file(path)
    with pytest.raises(PolicyParseError, match="limit"):
        parse_policy("Policy Number: 1\n" + "x" * (50 * 1024 * 1024))
    assert time.monotonic() - started < GUARD_S


def test_random_bytes_give_a_typed_error():
    data = os.urandom(1024 * 1024)
    with pytest.raises(PolicyParseError):
        parse_policy_bytes(data, "random.bin")
    # the same bytes made valid UTF-8 (NULs dropped): still a typed error, not a crash
    text = data.decode("utf-8", "replace").replace("\x00", "")
    with pytest.raises(PolicyParseError):
        parse_policy(text, "random.txt")


def test_lone_surrogates_give_a_typed_error(seed_web_path):
    """Regression (found by explorer.fuzz): a str with a lone surrogate crashed with UnicodeEncodeError."""
    text = seed_web_path.read_text(encoding="utf-8").replace("Summary", "Summ\udabfry", 1)
    with pytest.raises(PolicyParseError, match="surrogate"):
        parse_policy(text, "surrogate.txt")


@pytest.mark.parametrize("section", ["statement", "references", "history"])
def test_section_repeated_ten_thousand_times_is_bounded(seed_web_path, section):
    seed = seed_web_path.read_text(encoding="utf-8")
    block = {
        "statement": "Genetic modification of donor lymphocytes is **INVESTIGATIONAL**.\n\n",
        "references": "References\n\n1. Deol A, Lum LG. Role. *Cancer Treat Rev.* Nov 2010;36(7):528-538. "
                      "PMID 20381970\n",
        "history": "Policy History\n\nDate\tAction\n4/2019\tPrior authorization information clarified.\n",
    }[section]
    anchor = {"statement": "Genetic modification of donor lymphocytes is **INVESTIGATIONAL**.\n\n",
              "references": "References\n\n", "history": "Policy History\n\n"}[section]
    text = seed.replace(anchor, block * 10_000, 1)
    started = time.monotonic()
    try:
        facts = parse_policy(text, "repeated.txt")
    except PolicyParseError:
        facts = None
    assert time.monotonic() - started < GUARD_S
    if facts is not None:
        assert facts.statements
