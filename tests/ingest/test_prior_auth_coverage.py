"""Prior-authorization sentences in the store: the show JSON, the catalog query
``prior-authorization`` and the coverage answer (required / not required / unknown), on real
documents (Blue Shield of California BSC_CON_2.04, Geisinger MP360)."""

from __future__ import annotations

from pathlib import Path

import pytest

import explorer
from explorer.determination import determine
from explorer.pipeline import policy_json
from explorer.query.catalog import load_catalog
from explorer.query.runner import run_query

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
SB535 = "shall not require prior authorization for biomarker testing"


@pytest.fixture(scope="module")
def store():
    with explorer.open_corpus([REAL / "blueshieldca-BSC_CON_2.04-molecular-analysis-tumors.txt",
                               REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"]) as opened:
        yield opened


def test_show_json_has_the_sentence_with_its_scope_and_the_code_mentions(store):
    data = policy_json(store, "BSC_CON_2.04")
    (pa,) = [p for p in data["prior_authorization"] if SB535 in " ".join(p["source"]["quote"].split())]
    assert (pa["scope"], pa["line_of_business"], pa["product"], pa["setting"], pa["required"]) == \
        ("line-of-business", "Commercial", None, None, False)
    assert data["code_mentions"] and all(set(m) == {"system", "code", "statement", "criterion", "source"}
                                         for m in data["code_mentions"])


def test_the_catalog_query_shows_sentence_level_requirements(store):
    result = run_query(store, load_catalog()["prior-authorization"])
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    commercial = [r for r in rows if str(r["policy"]) == "BSC_CON_2.04"]
    assert [str(r["lineOfBusiness"]) for r in commercial] == ["Commercial"]
    assert str(commercial[0]["planProduct"]) == "" and str(commercial[0]["required"]) == "false"
    geisinger = [r for r in rows if str(r["policy"]) == "MP360"]
    assert geisinger and all(r["required"] is None for r in geisinger)
    # a product filter keeps requirements that name no product (they hold for every product)
    filtered = run_query(store, load_catalog()["prior-authorization"], {"product": "Medicare PPO Blue"})
    assert {str(row[0]) for row in filtered.rows} == {"BSC_CON_2.04", "MP360"}


def test_coverage_reads_the_line_of_business_sentence(store):
    answer = determine(store, code="0037U", diagnosis="C34.90", line_of_business="Commercial")
    assert answer.policy_number == "BSC_CON_2.04"
    pa = answer.prior_authorization
    assert pa is not None and pa.required is False and pa.source is not None
    assert SB535 in " ".join(pa.source.quote.split())
    unnamed = determine(store, code="0037U", diagnosis="C34.90").prior_authorization
    assert unnamed is not None and unnamed.required is None and "line of business" in (unnamed.note or "")
