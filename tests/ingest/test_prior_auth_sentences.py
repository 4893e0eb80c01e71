"""Prior-authorization sentences of every family (issue 13 item 5), checked against what the real
documents print (tests/fixtures/real) and, for the vendor forms no real document here prints
("through Carelon", "must be reviewed by eviCore"), against edited copies of a real document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.ingest import parse_policy, parse_policy_file
from explorer.ingest.facts import PolicyFacts, PriorAuthorization
from explorer.model.from_rdf import graph_to_facts
from explorer.model.to_rdf import facts_to_graph, policy_iri_of

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
GEISINGER = REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"
MAY_APPLY = "Prior authorization and/or pre-certification requirements for services or items may apply."


KAISER = REAL / "kaiser-wa-genetic-screening-testing.txt"
BLUESHIELD = REAL / "blueshieldca-BSC_CON_2.04-molecular-analysis-tumors.txt"


@pytest.fixture(scope="module")
def geisinger(parsed: Callable[[str], PolicyFacts]) -> PolicyFacts:
    return parsed(GEISINGER.name)


@pytest.fixture(scope="module")
def kaiser(parsed: Callable[[str], PolicyFacts]) -> PolicyFacts:
    return parsed(KAISER.name)


@pytest.fixture(scope="module")
def blueshield(parsed: Callable[[str], PolicyFacts]) -> PolicyFacts:
    return parsed(BLUESHIELD.name)


def _saying(facts: PolicyFacts, words: str) -> list[PriorAuthorization]:
    return [p for p in facts.prior_authorization if words in " ".join(p.span.quote.split())]


def test_may_apply_is_a_policy_level_fact_with_no_answer(geisinger):
    (found,) = _saying(geisinger, MAY_APPLY)
    assert found.scope == "policy" and found.required is None and found.note == MAY_APPLY
    assert geisinger.text[found.span.start:found.span.end] == found.span.quote


def test_a_line_of_business_named_by_the_sentence_gets_the_fact(blueshield):
    # "... for commercial plans regulated by the California Department of Managed Healthcare ...
    #  health care service plans and insurers shall not require prior authorization for biomarker
    #  testing, ... if a member has stage 3 or 4 cancer."
    (found,) = _saying(blueshield, "shall not require prior authorization for biomarker testing")
    assert found.scope == "line-of-business" and found.line_of_business == "Commercial"
    assert found.required is False and found.note is not None and "stage 3 or 4 cancer" in found.note


def test_kaiser_sentences_read_as_the_document_says(kaiser):
    (sma,) = _saying(kaiser, "will cover carrier testing for SMA (CPT 81329) without prior authorization")
    assert sma.required is False and sma.scope == "policy"
    (other_lab,) = _saying(kaiser, "Prior authorization will still be required for SMA carrier testing")
    assert other_lab.required is True
    (both,) = _saying(kaiser, "Prior authorization is not required if done at Labcorp")
    assert both.required is None  # not required at three labs, required at all others: depends
    # a revision-history row ("08/03/2021 MPC approved ... Prior authorization is still required for
    # this testing at labs other than Ariosa") is history, not a requirement
    assert not _saying(kaiser, "labs other than Ariosa")


def test_evicore_disclaimer_decides_nothing():
    facts = parse_policy_file(REAL / "evicore-multi-cancer-early-detection-2026.txt")
    (found,) = _saying(facts, "does not imply that the code is under management or requires prior authorization")
    assert found.required is None and found.scope == "policy"


def test_a_heading_and_a_phone_number_are_not_requirements(blueshield):
    assert not _saying(blueshield, "Prior Authorization Requirements and Feedback")
    assert not _saying(blueshield, "directed to the Prior Authorization Department")


@pytest.mark.parametrize(("sentence", "required", "reviewer"), [
    ("Prior authorization is required through Carelon.", True, "Carelon Medical Benefits Management"),
    ("PRIOR AUTHORIZATION IS REQUIRED THROUGH AIM SPECIALTY HEALTH.", True, "AIM Specialty Health"),
    ("These tests must be reviewed by eviCore healthcare before they are performed.", True, "eviCore healthcare"),
    ("This service requires precertification.", True, None),
    ("Prior authorization is not required for this test.", False, None),
])
def test_each_familys_wording_in_an_edited_copy(sentence, required, reviewer):
    edited = GEISINGER.read_text(encoding="utf-8").replace(MAY_APPLY, sentence)
    facts = parse_policy(edited, "edited.txt")
    (found,) = _saying(facts, sentence)
    assert (found.required, found.reviewer, found.scope) == (required, reviewer, "policy")
    assert not _saying(facts, MAY_APPLY)


def test_a_product_named_by_the_sentence_gets_the_fact():
    sentence = "For Medicare PPO Blue members, prior authorization is required for outpatient testing."
    edited = GEISINGER.read_text(encoding="utf-8").replace(MAY_APPLY, sentence)
    (found,) = _saying(parse_policy(edited, "edited.txt"), sentence)
    assert (found.product, found.setting, found.scope, found.required) == \
        ("Medicare PPO Blue", "outpatient", "cell", True)


def test_sentence_facts_round_trip_through_rdf_and_validate(geisinger, kaiser, blueshield, real_validation):
    for facts, path in ((geisinger, GEISINGER), (kaiser, KAISER), (blueshield, BLUESHIELD)):
        graph = facts_to_graph(facts)
        assert graph_to_facts(graph, policy_iri_of(facts)).prior_authorization == facts.prior_authorization
        assert real_validation(path).conforms   # validate_graph(facts_to_graph(facts)), once a session


@pytest.mark.parametrize(("sentence", "line"), [
    ("For Medicare Advantage members, prior authorization is required.", "Medicare Advantage"),
    ("For Original Medicare members, prior authorization is not required.", "Original Medicare"),
    ("For traditional Medicare, prior authorization is not required.", "Original Medicare"),
    ("For Medicare members, prior authorization is required.", "Medicare"),
])
def test_medicare_advantage_and_original_medicare_are_lines_of_their_own(sentence, line):
    # issue 16 item 9: the lines of business tell Medicare Advantage from Original Medicare
    edited = GEISINGER.read_text(encoding="utf-8").replace(MAY_APPLY, sentence)
    (found,) = _saying(parse_policy(edited, "edited.txt"), sentence)
    assert (found.scope, found.line_of_business) == ("line-of-business", line)


def test_a_sentence_on_medicare_answers_for_medicare_advantage_and_not_the_reverse(tmp_path):
    # a sentence on the broader line applies to the narrower; one on Medicare Advantage says
    # nothing of Original Medicare
    import explorer
    from explorer.determination import determine

    text = GEISINGER.read_text(encoding="utf-8")
    broad = text.replace(MAY_APPLY, "For Medicare members, prior authorization is required.")
    (tmp_path / "broad.txt").write_text(broad, encoding="utf-8")
    with explorer.open_corpus([tmp_path / "broad.txt"]) as store:
        answer = determine(store, code="0364U", diagnosis="C90.00", line_of_business="Medicare Advantage")
        assert answer.prior_authorization.required is True
    (tmp_path / "narrow.txt").write_text(text.replace(MAY_APPLY, "For Medicare Advantage members, prior authorization "
                                                                 "is required."), encoding="utf-8")
    with explorer.open_corpus([tmp_path / "narrow.txt"]) as store:
        answer = determine(store, code="0364U", diagnosis="C90.00", line_of_business="Original Medicare")
        # the policy-level sentence answers ("requirements can be found at ..."), not the Medicare Advantage one
        assert answer.prior_authorization.required is None
        assert "Medicare Advantage" not in (answer.prior_authorization.note or "")
