"""The app on its default store, the bundled corpus (data/policies: the seed and the real policies of
17 payers): the Policies page filters by payer and by topic (the diseases and services the
statements name, with the broader diseases of the taxonomy), and the evidence graph draws any policy
within its size cap (issue 13 item 8, issue 15 items 6-7)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.app.policy_topics import Topic, matching, policy_topics, topic_options
from tests.app.conftest import assert_clean, iframe_html, url_params

SOURCES = json.loads((Path(__file__).resolve().parents[2] / "data" / "policies" / "SOURCES.json")
                     .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    """The bundled corpus as the app loads it (the on-disk corpus cache, built if stale)."""
    from explorer.corpus_cache import open_cached_corpus

    opened = open_cached_corpus()
    assert not opened.failed, opened.failed
    yield opened.store
    opened.store.close()


def _numbers(at: AppTest) -> list[str]:
    return at.dataframe[0].value["number"].tolist()


def test_policies_page_lists_every_payer_of_the_bundle(bundled_app: Callable[..., AppTest]) -> None:
    at = bundled_app("policies")
    assert_clean(at)
    table = at.dataframe[0].value
    assert table["payer"].nunique() == len({s["payer"] for s in SOURCES})   # 17 payers
    assert {"338", "MP360", "051", "L-267-001", "2.04.141", "90.2"} <= set(table["number"])
    assert len(at.multiselect(key="pol_payers").options) == table["payer"].nunique()


def test_topic_filter_finds_a_disease_and_its_subtypes(bundled_app: Callable[..., AppTest]) -> None:
    # Geisinger MP360 covers clonoSEQ for "members with: Multiple myeloma"; the seed (policy 338)
    # names hematologic malignancies, the broader disease, and no myeloma
    at = bundled_app("policies", {"topic": "disease: multiple myeloma"})
    assert_clean(at)
    assert at.multiselect(key="pol_topics").value == ["disease: multiple myeloma"]
    assert "MP360" in _numbers(at) and "338" not in _numbers(at)
    at.multiselect(key="pol_topics").set_value(["disease: hematologic malignancy"]).run()
    assert {"338", "MP360"} <= set(_numbers(at))
    assert url_params(at)["topic"] == ["disease: hematologic malignancy"]
    # BCBS SC CAM 273 speaks of "individuals diagnosed with non-small cell lung cancer" only: a lung
    # cancer policy through the taxonomy
    at.multiselect(key="pol_topics").set_value(["disease: lung cancer"]).run()
    assert "CAM 273" in _numbers(at) and "338" not in _numbers(at)


def test_topic_and_payer_filters_combine_and_survive_the_link(bundled_app: Callable[..., AppTest]) -> None:
    at = bundled_app("policies", {"topic": "service: NavDx", "payer": "Highmark"})
    assert_clean(at)
    assert _numbers(at) == ["L-267-001"]
    again = bundled_app("policies", url_params(at))
    assert _numbers(again) == ["L-267-001"]
    assert again.multiselect(key="pol_topics").value == ["service: NavDx"]


def test_a_topic_no_policy_has_is_dropped_from_the_link(bundled_app: Callable[..., AppTest]) -> None:
    at = bundled_app("policies", {"topic": "disease: <b>nothing</b>", "policy": "338"})
    assert_clean(at)
    assert at.multiselect(key="pol_topics").value == []
    assert "338" in _numbers(at)


def test_topics_come_from_the_statements_and_the_taxonomy(corpus) -> None:  # type: ignore[no-untyped-def]
    topics = policy_topics(corpus)
    options = topic_options(topics)
    assert options == sorted(set(options), key=options.index)            # each once
    diseases = [o for o in options if o.startswith("disease: ")]
    assert options[: len(diseases)] == diseases                           # diseases first
    # every policy about a subtype is about its broader disease too
    assert matching(topics, ["disease: non-small cell lung cancer"]) <= matching(topics, ["disease: lung cancer"])
    assert matching(topics, ["disease: multiple myeloma"]) <= matching(topics, ["disease: hematologic malignancy"])
    seed = next(iri for iri in topics if iri.endswith("/338"))
    assert Topic("service", "Donor lymphocyte infusion") in topics[seed]
    assert Topic("disease", "hematologic malignancy") in topics[seed]


def test_evidence_graph_draws_every_bundled_policy_within_its_cap(corpus) -> None:  # type: ignore[no-untyped-def]
    from explorer.exporting import evidence_graph_of  # what the graph page draws
    from explorer.pipeline import list_policies
    from explorer.render.graph_html import evidence_graph_html

    summaries = list_policies(corpus)
    assert len(summaries) >= 25
    for summary in summaries:
        graph = evidence_graph_of(corpus, [summary.iri]).filter(max_nodes=200)
        assert len(graph.nodes) <= 200, summary.number
        if summary.statements:
            assert any(n.kind == "statement" for n in graph.nodes), summary.number
        page = evidence_graph_html(graph, height="640px", physics=True)
        assert "vis-network" in page or "new vis" in page, summary.number


def test_whole_corpus_evidence_graph_from_the_union_is_the_policy_graphs_one(corpus) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the whole corpus's evidence graph reads the store's union graph (every graph: the
    inferred ones and the kept earlier versions too) instead of naming each policy graph, which is
    slow at 1,000 policies; it is the same graph, node for node and edge for edge, in order."""
    from explorer.exporting import evidence_graph_of
    from explorer.pipeline import policy_graph_iris
    from explorer.render.evidence_build import build_evidence_graph

    assert any("/graph/version/" in g for g in corpus.graph_iris())  # earlier versions are in the store
    named = build_evidence_graph(corpus, policy_graph_iris(corpus), None)
    union = evidence_graph_of(corpus, None)
    assert len(named.nodes) > 1000 and len(named.edges) > 1000
    assert union == named


@pytest.mark.parametrize("number", ["BSC_CON_2.04", "genetic-screening-testing", "MP360"])
def test_graph_page_draws_a_large_real_policy(bundled_app: Callable[..., AppTest], number: str) -> None:
    at = bundled_app("graph", {"policy": number})
    assert_clean(at)
    assert at.multiselect(key="g_policies").value == [number]
    page = iframe_html(at)
    counts = re.search(r'class="pe-counts">([0-9,]+) nodes', page)
    assert counts and 1 < int(counts.group(1).replace(",", "")) <= 200


def test_workbench_pages_a_long_listing_before_counting_it_all(bundled_app: Callable[..., AppTest],
                                                              corpus) -> None:  # type: ignore[no-untyped-def]
    """The bundled policies hold over a thousand references: the workbench's first page counts the
    rows of the first policies only ("of at least N"), and its pages are the listing's slices."""
    from explorer.query.catalog import load_catalog
    from explorer.query.limits import QueryLimits
    from explorer.query.runner import run_query

    whole = [tuple(map(str, r[:2])) for r in
             run_query(corpus, load_catalog()["references"], limits=QueryLimits(max_rows=100_000)).rows]
    at = bundled_app("workbench", {"query": "references"})
    assert_clean(at)
    caption = at.caption[-1].value
    assert re.search(r"rows 1-100 of at least [\d,]+$", caption), caption
    known = int(caption.rsplit(" ", 1)[-1].replace(",", ""))
    assert 100 < known < len(whole)
    pages = []
    for number in (1, 2, 3):
        if number > 1:
            at.number_input(key="wb_page").set_value(number).run()
            assert_clean(at)
        frame = at.dataframe[0].value
        pages.append([tuple(map(str, r[:2])) for r in frame.itertuples(index=False)])
    assert [r for page in pages for r in page] == whole[:300]
