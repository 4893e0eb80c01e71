"""The determination rules, one table row per rule (explorer/determination/rules.py), no store."""

from __future__ import annotations

import pytest

from explorer.determination.model import MatchedStatement, Source
from explorer.determination.rules import (
    CandidateStatement,
    StatementCondition,
    about_service,
    applies,
    decide,
    indication_logic,
    order_indications,
    ordered_service,
    same_service,
    settle,
    survey,
)

MN, INV, NMN = "medically-necessary", "investigational", "not-medically-necessary"
DLI, GM = "donor-lymphocyte-infusion", "genetic-modification-of-donor-lymphocytes"
HCT_MN = StatementCondition("after an HCT considered medically necessary", "prior-treatment-status", MN,
                            "allogeneic HCT")
HCT_INV = StatementCondition("after an HCT considered investigational", "prior-treatment-status", INV,
                             "allogeneic HCT")
PRIOR_HCT = StatementCondition("following a prior allogeneic HCT", "prior-treatment", None, "allogeneic HCT")
PRIOR_CHEMO = StatementCondition("after chemotherapy", "prior-treatment", None, "chemotherapy")
AGE = StatementCondition("age 18 or older", "age", None)


def st(number: int, status: str, diseases: tuple[str, ...] = (), indications: tuple[str, ...] = (),
       open_conditions: tuple[str, ...] = (), service: str | None = DLI, logic: str | None = None) -> MatchedStatement:
    return MatchedStatement(f"s{number}", number, status, f"statement {number}", Source(0, 1, "x"), diseases,
                            open_conditions, indications, logic, service)


def cand(statement: MatchedStatement, *conditions: StatementCondition) -> CandidateStatement:
    return CandidateStatement(statement, conditions)


# --- applies: the diagnosis's diseases (with their broader ones) against the statement's --------------
@pytest.mark.parametrize(("diseases", "wanted", "expected"), [
    (("hematologic-malignancy",), {"chronic-myeloid-leukemia", "hematologic-malignancy"}, True),   # broader
    (("chronic-myeloid-leukemia",), {"chronic-myeloid-leukemia"}, True),                           # own
    (("nonhematologic-malignancy",), {"chronic-myeloid-leukemia", "hematologic-malignancy"}, False),
    (("multiple-myeloma",), {"chronic-myeloid-leukemia", "hematologic-malignancy"}, False),        # sibling
    ((), {"chronic-myeloid-leukemia"}, True),                                                      # no scope
])
def test_applies(diseases, wanted, expected):
    assert applies(cand(st(1, MN, diseases)), wanted) is expected


# --- settle: what --prior-hct answers ----------------------------------------------------------------
@pytest.mark.parametrize(("conditions", "prior", "expected"), [
    ((HCT_MN,), None, ("after an HCT considered medically necessary",)),   # not asked: stays open
    ((HCT_MN,), MN, ()),                                                   # answered: settled
    ((HCT_MN,), INV, None),                                                # contradicted: drops out
    ((HCT_INV,), INV, ()),
    ((PRIOR_HCT,), None, ("following a prior allogeneic HCT",)),
    ((PRIOR_HCT,), MN, ()),                                                # a prior HCT there was
    ((PRIOR_HCT,), INV, ()),
    ((PRIOR_CHEMO,), MN, ("after chemotherapy",)),                         # --prior-hct says nothing of it
    ((AGE, HCT_MN), MN, ("age 18 or older",)),
])
def test_settle(conditions, prior, expected):
    settled = settle(cand(st(1, MN), *conditions), prior)
    assert (None if settled is None else settled.open_conditions) == expected


# --- decide: which statement decides ----------------------------------------------------------------
IND = ("relapsed", "to prevent relapse")


@pytest.mark.parametrize(("statements", "expected"), [
    # 1. a not-covered statement with no open condition decides, before a covered one
    ([st(1, MN, indications=IND), st(2, INV)], (INV, False, (), (), None, [2, 1])),
    ([st(1, MN), st(2, NMN)], (NMN, False, (), (), None, [2, 1])),
    # 2. else a covered statement decides, conditional on its open conditions and indications, with its logic
    ([st(1, MN, indications=IND, open_conditions=("c",), logic="any-of"), st(2, INV, open_conditions=("d",))],
     (MN, True, ("c",), IND, "any-of", [1, 2])),
    ([st(1, MN)], (MN, False, (), (), None, [1])),                       # nothing open: covered outright
    ([st(1, MN, indications=("one",))], (MN, True, (), ("one",), None, [1])),
    # 3. else a not-covered statement with open conditions decides
    ([st(3, INV, open_conditions=("following a prior allogeneic HCT",))],
     (INV, False, ("following a prior allogeneic HCT",), (), None, [3])),
    # 4. nothing applies
    ([], ("not-addressed", False, (), (), None, [])),
])
def test_decide(statements, expected):
    d = decide(statements)
    assert (d.determination, d.conditional, d.conditions, d.indications, d.criteria_logic,
            [s.number for s in d.statements]) == expected


# --- survey: without a diagnosis no statement is the verdict ------------------------------------------
@pytest.mark.parametrize(("statements", "expected"), [
    ([st(1, MN, ("hematologic-malignancy",)), st(2, INV, ("hematologic-malignancy",))], ("diagnosis-needed", False)),
    ([st(2, INV, ("hematologic-malignancy",)), st(3, INV, ("nonhematologic-malignancy",))], (INV, False)),
    ([st(1, MN, ("hematologic-malignancy",))], (MN, True)),             # covered, but only for that disease
    ([st(1, MN)], (MN, False)),
    ([], ("not-addressed", False)),
])
def test_survey(statements, expected):
    d = survey(statements)
    assert (d.determination, d.conditional) == expected
    assert [s.number for s in d.statements] == [s.number for s in statements]   # the policy's order


# --- services: the order is for one service --------------------------------------------------------
CPT_38242 = "Bone marrow or blood-derived peripheral stem cell transplantation; allogeneic donor lymphocyte infusions"


@pytest.mark.parametrize(("services", "description", "expected"), [
    ([DLI, DLI, DLI, GM], CPT_38242, DLI),
    ([GM, DLI], CPT_38242, DLI),                       # the code's words, not the first statement
    ([DLI, GM, GM], None, GM),                         # no description: the service most statements are about
    ([DLI, GM], None, DLI),                            # a tie: the first
    ([], CPT_38242, None),
])
def test_ordered_service(services, description, expected):
    assert ordered_service(services, description) == expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("genetically-modified-donor-lymphocytes", GM, True),          # a reference topic and the service
    ("Genetic modification of donor lymphocytes", GM, True),       # a label and the slug
    ("donor-lymphocyte-infusion", DLI, True),
    ("donor-lymphocyte-infusion", GM, False),
    ("genetically-modified-donor-lymphocytes", DLI, False),
    ("hematopoietic-cell-transplantation", DLI, False),
])
def test_same_service(a, b, expected):
    assert same_service(a, b) is expected


@pytest.mark.parametrize(("service", "ordered", "expected"), [
    (DLI, DLI, True), (GM, DLI, False), (DLI, GM, False), (None, DLI, True), (GM, None, True),
])
def test_about_service(service, ordered, expected):
    assert about_service(cand(st(1, INV, service=service)), ordered) is expected


# --- indications: the policy's order and logic ----------------------------------------------------
SENTENCE = ("X may be MEDICALLY NECESSARY for the treatment of a hematologic malignancy that has relapsed or is "
            "refractory, to prevent relapse in the setting of a high risk of relapse, or to convert a patient "
            "from mixed to full donor chimerism.")
ITEMS = ("for the treatment of a hematologic malignancy that has relapsed or is refractory",
         "to prevent relapse in the setting of a high risk of relapse",
         "to convert a patient from mixed to full donor chimerism")


def test_indications_keep_the_sentences_order_not_the_alphabet():
    assert order_indications(SENTENCE, sorted(ITEMS)) == ITEMS


@pytest.mark.parametrize(("text", "items", "expected"), [
    (SENTENCE, ITEMS, "any-of"),
    ("X is covered in adults, with anemia, and after surgery.", ("in adults", "with anemia", "after surgery"),
     "all-of"),
    ("X is covered in adults; with anemia; after surgery.", ("in adults", "with anemia", "after surgery"),
     None),                                                                    # the words do not say
    ("X is covered in adults.", ("in adults",), None),                        # one indication: no logic
    ("X is covered in adults, and/or with anemia.", ("in adults", "with anemia"), None),
])
def test_indication_logic(text, items, expected):
    assert indication_logic(text, items) == expected
