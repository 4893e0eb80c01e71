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


INDICATIONS = ["for the treatment of a hematologic malignancy that has relapsed or is refractory",
               "to prevent relapse in the setting of a high risk of relapse",
               "to convert a patient from mixed to full donor chimerism"]


@pytest.mark.parametrize("search", ["CML", "chronic myelogenous", "cml"])
def test_search_by_a_vocabulary_synonym_offers_the_cml_codes(search: str) -> None:
    """Issue 14 item 4: the vocabulary's synonyms of chronic myeloid leukemia find its codes."""
    at = open_app("coverage", {"dx": search})
    assert_clean(at)
    options = at.selectbox(key="cov_dx").options
    assert [o.split(" ")[0] for o in options] == ["C92.1", "C92.10", "C92.11", "C92.12"]


def test_no_matching_diagnosis_lists_the_policy_per_indication_instead_of_a_verdict() -> None:
    """Issue 14 item 1: without a diagnosis the genetic-modification statement was the verdict."""
    at = open_app("coverage", {**QUESTION, "dx": "xyzzy"})
    assert_clean(at)
    headline = _headline(at)
    assert "Investigational" not in headline and "Diagnosis needed" in headline
    text = "\n".join(m.value for m in at.markdown)
    assert "per indication" in text
    assert "Genetic modification" not in text
    assert "hematologic malignancy" in text and "nonhematologic malignancy" in text


def test_alternative_indications_show_any_of_in_the_policys_order() -> None:
    """Issue 14 item 2: "..., or ..." is any one of them, listed as the policy lists them."""
    at = open_app("coverage", QUESTION)
    conditions = next(m.value for m in at.markdown if "any one of these indications" in m.value)
    positions = [conditions.index(i) for i in INDICATIONS]
    assert positions == sorted(positions)
    assert "indication: for the treatment" not in conditions     # not one more required condition


def test_supporting_evidence_is_the_deciding_statements() -> None:
    """Issue 14 item 3: PMID 25948083 (suicide-gene-modified lymphocytes) is not evidence for DLI."""
    at = open_app("coverage", QUESTION)
    text = "\n".join(m.value for m in at.markdown)
    assert "25948083" not in text
    for pmid in ("20381970", "17361226", "11023502", "12091328", "25797175", "22155141", "9053463"):
        assert f"PMID {pmid}" in text


def test_the_form_offers_the_plans_of_the_policies_that_list_the_code(tmp_path, monkeypatch) -> None:
    """A real Geisinger policy: its lines of business are the choices, and clonoSEQ (0364U) for
    multiple myeloma is medically necessary without a product."""
    from pathlib import Path

    import explorer
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    real = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
    store = tmp_path / "store"
    with open_store(f"oxigraph:{store}") as opened:
        assert ingest_paths(opened, [real / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"]).ok
    monkeypatch.setenv("POLICY_EXPLORER_STORE", f"oxigraph:{store}")
    assert explorer  # the app opens the store named by the environment
    at = open_app("coverage", {"code": "0364U", "dx": "C90.00", "product": "Medicaid", "setting": "(any)"})
    assert_clean(at)
    assert at.selectbox(key="cov_product").options[:3] == ["(any)", "CHIP", "Commercial"]
    assert "Medically necessary" in _headline(at)
    text = "\n".join(m.value for m in at.markdown)
    assert "clonoSEQ" in text and "During surveillance after response to primary treatment" in text
    assert "Acute myeloid leukemia" not in text and "(multiple myeloma)" in text
