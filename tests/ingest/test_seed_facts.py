"""The seed policy 338, in both renderings: every fact the issue lists, checked against the text."""

from __future__ import annotations

import re

import pytest

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts
from tests.factsutil import assert_spans_exact, content

PRODUCTS = [
    "Commercial Managed Care (HMO and POS)", "Commercial PPO and Indemnity", "Medicare HMO Blue", "Medicare PPO Blue"
]


@pytest.fixture(scope="module", params=["web", "pdf"])
def facts(request, seed_web_path, seed_pdf_path) -> PolicyFacts:
    return parse_policy_file(seed_web_path if request.param == "web" else seed_pdf_path)


def test_identity(facts):
    assert facts.number == "338"
    assert facts.payer == "Blue Cross Blue Shield of Massachusetts"
    assert facts.title == (
        "Donor Lymphocyte Infusion for Malignancies Treated with an Allogeneic Hematopoietic Cell Transplant"
    )
    assert facts.bcbsa_reference == "2.03.03A"
    assert facts.ncd_lcd is None and facts.related_policies == ()
    assert list(facts.applies_to) == PRODUCTS
    assert re.fullmatch(r"[0-9a-f]{64}", facts.sha256)


def test_statements(facts):
    assert [s.status for s in facts.statements] == ["medically-necessary"] + ["investigational"] * 3
    first = facts.statements[0]
    assert first.service == "Donor lymphocyte infusion"
    assert first.indications == (
        "for the treatment of a hematologic malignancy that has relapsed or is refractory",
        "to prevent relapse in the setting of a high risk of relapse",
        "to convert a patient from mixed to full donor chimerism",
    )
    (cond,) = first.conditions
    assert cond.kind == "prior-treatment-status" and cond.required_status == "medically-necessary"
    assert "transplantation" in cond.subject
    assert facts.statements[1].conditions[0].required_status == "investigational"
    assert [d.disease for d in facts.statements[2].diseases] == ["nonhematologic-malignancy"]
    assert facts.statements[3].service == "Genetic modification of donor lymphocytes"
    for s in facts.statements:  # the status sits in the quoted sentence, in capitals
        assert s.status_label in s.span.quote.replace("\n", " ").replace("*", "")


def test_prior_authorization(facts):
    cells = {(p.product, p.setting): p.required for p in facts.prior_authorization}
    assert len(cells) == 8
    assert all(cells[(p, "inpatient")] is True for p in PRODUCTS)
    assert all(cells[(p, "outpatient")] is False for p in PRODUCTS)
    inpatient = next(p for p in facts.prior_authorization if p.setting == "inpatient")
    assert "IS REQUIRED" in inpatient.span.quote


def test_codes(facts):
    (code,) = facts.codes
    assert (code.system, code.code) == ("CPT", "38242")
    assert code.description == (
        "Bone marrow or blood-derived peripheral stem cell transplantation; allogeneic donor lymphocyte infusions"
    )


def test_history(facts):
    assert len(facts.history) == 8
    assert facts.history[0].date == "2019-04" and max(h.date for h in facts.history) == "2019-04"
    ranged = [h for h in facts.history if h.end]
    assert [(h.date, h.end) for h in ranged] == [("2011-11", "2012-04")]
    assert facts.history[-1].date == "2012-01-01"
    assert facts.history[-1].action.endswith("Effective 1/1/2012.")


def test_references(facts):
    refs = facts.references
    assert [r.number for r in refs] == list(range(1, 29))
    without = [r.number for r in refs if r.pmid is None]
    assert without == [3, 26, 27, 28]
    # every PMID the document prints is extracted, and nothing else
    printed = re.findall(r"PMID\s+(\d+)", facts.text)
    assert sorted(r.pmid for r in refs if r.pmid) == sorted(printed)
    assert refs[0].year == 2010 and refs[0].date == "2010-11"
    assert (refs[0].volume, refs[0].issue, refs[0].pages, refs[0].journal) == ("36", "7", "528-538", "Cancer Treat Rev")
    assert refs[0].authors == ("Deol A", "Lum LG")
    assert refs[3].issue == "1 Suppl" and refs[3].pages == "S138-145"
    assert refs[25].url == "http://www.nccn.org/professionals/physician_gls/pdf/cml.pdf"
    # reference 25 spans a page break: one reference with the whole title and its PMID
    r25 = refs[24]
    assert r25.pmid == "25948083" and r25.title.endswith("after allogeneic hematopoietic stem cell transplantation")
    assert r25.journal == "Int J Hematol" and r25.year == 2015


def test_reference_topics(facts):
    topics = {r.number: set(r.topics) for r in facts.references}
    assert {n for n, t in topics.items() if "chronic-myeloid-leukemia" in t and n < 26} == {5, 6, 7, 9}
    assert {n for n, t in topics.items() if "multiple-myeloma" in t and n < 26} == {18, 19, 21, 22}
    assert {23, 25} <= {n for n, t in topics.items() if "genetically-modified-donor-lymphocytes" in t}


def test_citations(facts):
    assert sorted(c.reference for c in facts.citations) == [1, 1, 2]
    for c in facts.citations:
        assert c.marker in c.sentence.quote
        assert c.span.quote == c.marker


def test_figures(facts):
    assert [(f.low, f.high, f.unit) for f in facts.figures] == [
        (40, 60, "percent"), (5, 20, "percent"), (40, 40, "percent")
    ]
    assert "graft-versus-host disease" in facts.figures[0].label


def test_evidence(facts):
    assert [e.conclusion for e in facts.evidence] == ["sufficient", "insufficient"]
    assert facts.evidence[0].outcomes == ("overall survival", "change in disease status")
    assert "case series" in facts.evidence[1].evidence_types


def test_every_quote_is_the_document_slice(facts):
    assert assert_spans_exact(facts) > 70


def test_no_warnings_on_the_seed(facts):
    assert facts.warnings == ()


def test_both_renderings_give_the_same_facts(seed_web_path, seed_pdf_path):
    web, pdf = parse_policy_file(seed_web_path), parse_policy_file(seed_pdf_path)
    assert content(web) == content(pdf)
