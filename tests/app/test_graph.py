"""The evidence graph page draws the seed's references (PMIDs) in a self-contained iframe."""

from __future__ import annotations

import re

from tests.app.conftest import assert_clean, iframe_html, open_app, url_params


def _node_count(page: str) -> int:
    match = re.search(r'id="pe-counts" class="pe-counts">([0-9,]+) nodes', page)
    assert match, "graph header with counts missing"
    return int(match.group(1).replace(",", ""))


def test_graph_iframe_holds_the_seed_pmids() -> None:
    at = open_app("graph")
    assert_clean(at)
    page = iframe_html(at)
    for pmid in ("20381970", "18711351", "17909197"):
        assert pmid in page
    assert "vis-network" in page or "vis.Network" in page
    assert not re.search(r"<(?:link|script)[^>]+(?:href|src)=[\"']?(?:https?:)?//", page)
    assert _node_count(page) == 57


def test_disease_filter_from_the_url_narrows_the_graph() -> None:
    at = open_app("graph", {"policy": "338", "disease": "acute-myeloid-leukemia"})
    assert_clean(at)
    page = iframe_html(at)
    assert at.multiselect(key="g_diseases").value == ["acute-myeloid-leukemia"]
    assert "17909197" in page            # an AML reference
    assert "18711351" not in page         # a reference about DLI in general
    assert 1 < _node_count(page) < 57


def test_status_and_kind_filters_round_trip_through_the_url() -> None:
    at = open_app("graph")
    at.multiselect(key="g_statuses").select("investigational")
    at.multiselect(key="g_kinds").unselect("reference").run()
    assert_clean(at)
    params = url_params(at)
    assert params["status"] == ["investigational"]
    assert "reference" not in params["kind"]
    page = iframe_html(at)
    assert "20381970" not in page
    again = open_app("graph", params)
    assert iframe_html(again) == page


def test_size_cap_counts_what_it_left_out() -> None:
    at = open_app("graph", {"max": "10"})
    assert_clean(at)
    page = iframe_html(at)
    assert _node_count(page) == 10
    assert "more nodes left out by the size limit" in page
