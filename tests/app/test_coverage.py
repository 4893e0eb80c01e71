"""The coverage form gives the seed's determination, from the form and from a pasted link."""

from __future__ import annotations

import importlib.util

import pytest

from tests.app.conftest import assert_clean, open_app, url_params

pytestmark = pytest.mark.skipif(importlib.util.find_spec("explorer.determination") is None,
                                reason="explorer.determination (the coverage issue) is not in this tree yet")

QUESTION = {"code": "38242", "dx": "C92.10", "product": "Medicare PPO Blue", "setting": "outpatient"}


def _headline(at) -> str:  # type: ignore[no-untyped-def]
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_form_gives_medically_necessary_for_the_seed_question() -> None:
    at = open_app("coverage")
    assert_clean(at)
    at.text_input(key="cov_code").input("38242")
    at.text_input(key="cov_dx_search").input("C92.10").run()
    at.selectbox(key="cov_product").select("Medicare PPO Blue")
    at.selectbox(key="cov_setting").select("outpatient")
    at.button[0].click().run()
    assert_clean(at)
    assert "Medically necessary" in _headline(at)
    text = "\n".join(m.value for m in at.markdown)
    assert "not required" in text                       # prior auth, Medicare PPO Blue outpatient
    assert "PMID 20381970" not in text or "pubmed.ncbi.nlm.nih.gov/20381970/" in text
    assert "MEDICALLY NECESSARY" in text                # the quoted sentence
    # the question is now in the URL
    assert {k: v[0] for k, v in url_params(at).items()} == QUESTION


def test_permalink_reproduces_the_determination() -> None:
    at = open_app("coverage", QUESTION)
    assert_clean(at)
    assert "Medically necessary" in _headline(at)
    assert at.selectbox(key="cov_dx").value == "C92.10"


def test_investigational_prior_hct_changes_the_answer() -> None:
    at = open_app("coverage", {**QUESTION, "prior_hct": "investigational"})
    assert_clean(at)
    assert "Investigational" in _headline(at)


def test_search_by_name_offers_matching_diagnoses() -> None:
    at = open_app("coverage", {"dx": "myeloid leukemia"})
    assert_clean(at)
    options = at.selectbox(key="cov_dx").options
    assert any(o.startswith("C92.10") for o in options)


def test_unknown_code_is_an_answer_not_a_traceback() -> None:
    at = open_app("coverage", {**QUESTION, "code": "99999"})
    assert not at.exception
    assert "Not addressed" in _headline(at)


def test_card_links_to_the_graph_of_the_diagnosis() -> None:
    at = open_app("coverage", QUESTION)
    link = at.get("page_link")[0].proto
    assert link.page == "graph"
    assert link.query_string == "policy=338&disease=chronic-myeloid-leukemia"


def test_graph_of_a_diagnosis_shows_the_statements_that_cover_it() -> None:
    """CML is under hematologic malignancy: the statements about that disease cover it."""
    from tests.app.conftest import iframe_html

    at = open_app("graph", {"policy": "338", "disease": "chronic-myeloid-leukemia"})
    assert_clean(at)
    page = iframe_html(at)
    assert "338 #1: Medically necessary" in page or "338 #1: MEDICALLY NECESSARY" in page
    assert "20381970" in page          # a reference about hematologic malignancies
    assert "18711351" not in page      # one about DLI with no disease named
