"""Coverage answers on real policies of other payers (tests/fixtures/real), checked against the text.

Geisinger MP360 (minimal residual disease testing) covers several tests, each in its own statement:
clonoSEQ (0364U) for multiple myeloma, AML and ALL; Guardant Reveal (0569U); NavDx (0356U) for
HPV-driven oropharyngeal and anal cancer; and "the use of MRD NGS tests not specified in this policy
will be considered unproven and therefore, NOT COVERED".  Humana HUM-0595 lists CPT 81455 in its
comprehensive genomic profiling statement.  Products are BCBS MA's; these payers answer without one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import explorer
from explorer.determination import determine
from explorer.errors import UnknownTermError

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def store():
    with explorer.open_corpus([REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt",
                               REAL / "humana-HUM-0595-comprehensive-genomic-profiling-solid-tumors.txt"]) as opened:
        yield opened


def test_clonoseq_for_multiple_myeloma_is_medically_necessary_from_its_own_statement(store):
    answer = determine(store, code="0364U", diagnosis="C90.00")
    assert answer.determination == "medically-necessary" and answer.policy_number == "MP360"
    assert answer.statements[0].text.startswith("MRD testing (e.g., clonoSEQ) is considered to be medically necessary")
    assert all("NavDx" not in s.text for s in answer.statements)  # another test's statements do not apply
    assert answer.product is None
    # the policy's own sentence: "Prior authorization and/or pre-certification requirements ... may apply."
    pa = answer.prior_authorization
    assert pa is not None and pa.required is None and pa.source is not None
    assert pa.source.quote.endswith("requirements for services or items may apply.")


def test_guardant_reveal_for_breast_cancer_is_medically_necessary(store):
    answer = determine(store, code="0569U", diagnosis="C50.911")
    assert answer.determination == "medically-necessary"
    assert "Guardant Reveal" in answer.statements[0].text


def test_navdx_for_oropharyngeal_cancer(store):
    answer = determine(store, code="0356U", diagnosis="C10.9")
    assert answer.determination == "medically-necessary" and answer.statements[0].text.startswith("NavDx test")


def test_a_catch_all_sentence_gives_way_to_the_statement_naming_the_test(store):
    answer = determine(store, code="0364U", diagnosis="C90.00")
    assert not any("not specified in this policy" in s.text for s in answer.statements)


def test_humana_lists_the_code_in_its_statement(store):
    answer = determine(store, code="81455", diagnosis="C34.90", line_of_business="Commercial")
    assert answer.determination == "medically-necessary" and answer.policy_number == "HUM-0595-010"
    assert "81455" in answer.statements[0].text and answer.line_of_business == "Commercial"
    assert not answer.notes


def test_a_line_of_business_the_policy_does_not_name_is_noted(store):
    answer = determine(store, code="81455", diagnosis="C34.90", line_of_business="Medicaid")
    assert any("applies to Commercial, not Medicaid" in n for n in answer.notes)


def test_an_unknown_line_of_business_lists_the_valid_ones(store):
    with pytest.raises(UnknownTermError, match="Commercial"):
        determine(store, code="81455", diagnosis="C34.90", line_of_business="Platinum Gold")


def test_clonoseq_answer_lists_the_criteria_for_the_diagnosis_only(store):
    """'Multiple myeloma: • During surveillance after response to primary treatment • After each
    treatment phase (...)'; the AML and ALL items are about other diagnoses."""
    answer = determine(store, code="0364U", diagnosis="C90.00")
    assert answer.conditional
    items = answer.criteria["items"]
    assert [i["text"] for i in items] == ["Multiple myeloma:"]
    assert [c["text"] for c in items[0]["items"]] == [
        "During surveillance after response to primary treatment",
        "After each treatment phase (e.g. after induction therapy, high-dose therapy/autologous stem-cell "
        "transplantation, consolidation, and maintenance)",
    ]
    all_answer = determine(store, code="0364U", diagnosis="C91.00")
    assert [i["text"] for i in all_answer.criteria["items"]] == ["Acute lymphoblastic leukemia:"]


def test_guardant_reveal_for_breast_cancer_is_for_stage_one_to_three(store):
    answer = determine(store, code="0569U", diagnosis="C50.911")
    assert answer.conditional and [i["text"] for i in answer.criteria["items"]] == ["Breast Cancer"]
    assert answer.criteria["items"][0]["items"][0]["text"] == "Stage I, II, or III breast cancer"
    assert answer.to_json()["criteria"] == answer.criteria


def test_open_corpus_names_the_documents_it_could_not_ingest(tmp_path):
    from explorer.errors import IngestFailedError

    bad = tmp_path / "empty.txt"
    bad.write_text("   \n", encoding="utf-8")
    with pytest.raises(IngestFailedError, match="empty.txt: .*empty document") as info:
        explorer.open_corpus([REAL / "highmark-L-267-navdx.txt", bad])
    from explorer.pipeline import list_policies

    assert [p.number for p in list_policies(info.value.store)] == ["L-267-001"]
