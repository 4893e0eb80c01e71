"""Optional parameters work both unset (match everything) and set (filter), on every engine."""

from __future__ import annotations

import pytest

from explorer.errors import QueryError
from explorer.query.catalog import load_query_file
from explorer.query.runner import run_query
from tests.queries.conftest import QUERIES, rows_as_text

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")

PRODUCTS = [
    "Commercial Managed Care (HMO and POS)",
    "Commercial PPO and Indemnity",
    "Medicare HMO Blue",
    "Medicare PPO Blue",
]


def run(store, name: str, **params: object) -> list[dict[str, str]]:
    result = run_query(store, load_query_file(QUERIES / f"{name}.rq"), params)
    return [dict(zip(result.columns, row, strict=True)) for row in rows_as_text(result)]


def pairs(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["planProduct"], r["careSetting"], r["required"]) for r in rows]


def test_prior_authorization_unset_lists_every_product_and_setting(store) -> None:
    rows = run(store, "prior-authorization")
    expected = [(p, s, "true" if s == "inpatient" else "false") for p in PRODUCTS for s in ("inpatient", "outpatient")]
    assert pairs(rows) == expected
    assert all(r["product"] == "" and r["setting"] == "" for r in rows)


@pytest.mark.parametrize(
    "product",
    ["Medicare PPO Blue", "medicare ppo blue", "MEDICARE PPO BLUE", "Medicare PPO BlueSM", "medicare-ppo-blue"],
)
def test_prior_authorization_by_product(store, product: str) -> None:
    rows = run(store, "prior-authorization", product=product)
    assert pairs(rows) == [("Medicare PPO Blue", "inpatient", "true"), ("Medicare PPO Blue", "outpatient", "false")]
    assert {r["product"] for r in rows} == {product}


@pytest.mark.parametrize("setting", ["outpatient", "Outpatient", "OUTPATIENT"])
def test_prior_authorization_by_setting(store, setting: str) -> None:
    rows = run(store, "prior-authorization", setting=setting)
    assert pairs(rows) == [(p, "outpatient", "false") for p in PRODUCTS]
    assert all("not required" in r["quote"] for r in rows)


def test_prior_authorization_by_product_and_setting(store) -> None:
    rows = run(store, "prior-authorization", product="Medicare PPO Blue", setting="inpatient")
    assert pairs(rows) == [("Medicare PPO Blue", "inpatient", "true")]
    assert "IS REQUIRED" in rows[0]["quote"]


@pytest.mark.parametrize(
    "params", [{"product": "Medicare Advantage Gold"}, {"setting": "home"}, {"product": '"> } ; DROP ALL #'}]
)
def test_prior_authorization_unknown_value_matches_nothing(store, params: dict[str, str]) -> None:
    assert run(store, "prior-authorization", **params) == []


def test_references_unset_and_set_policy(store) -> None:
    unset = run(store, "references")
    assert [r["number"] for r in unset] == [str(n) for n in range(1, 29)]
    assert run(store, "references", policy="338") == [dict(r, policy="338") for r in unset]
    assert run(store, "references", policy="999") == []


def pmids(rows: list[dict[str, str]]) -> list[str]:
    return [r["pmid"] for r in rows if r["pmid"]]


@pytest.mark.parametrize("disease", ["multiple myeloma", "Multiple Myeloma", "multiple-myeloma"])
def test_evidence_for_multiple_myeloma(store, disease: str) -> None:
    rows = run(store, "evidence-for-disease", disease=disease)
    assert pmids(rows) == ["9354693", "11149728", "8839877", "10944138"]
    assert [r["number"] for r in rows] == ["18", "19", "21", "22", "28"]  # 28: NCCN guideline, no PMID


def test_evidence_by_synonym(store) -> None:
    rows = run(store, "evidence-for-disease", disease="CML")  # skos:altLabel of chronic myeloid leukemia
    assert [r["number"] for r in rows] == ["5", "6", "7", "9", "26"]
    assert {r["mentioned"] for r in rows} == {"chronic myeloid leukemia"}


def test_evidence_for_a_broader_disease_includes_its_subtypes(store) -> None:
    """Only inferred rdf:types connect a myeloma reference to "hematologic malignancy"."""
    rows = run(store, "evidence-for-disease", disease="hematologic malignancy")
    mentioned = {r["mentioned"] for r in rows}
    assert {
        "multiple myeloma",
        "chronic myeloid leukemia",
        "acute myeloid leukemia",
        "Hodgkin lymphoma",
        "myelodysplastic syndrome",
        "hematologic malignancy",
    } <= mentioned
    assert set(pmids(run(store, "evidence-for-disease", disease="multiple myeloma"))) <= set(pmids(rows))
    myeloid = {r["number"] for r in run(store, "evidence-for-disease", disease="myeloid malignancy")}
    assert {"5", "11", "12", "13", "15"} <= myeloid and "18" not in myeloid


def test_evidence_for_nonhematologic_malignancy_is_not_hematologic(store) -> None:
    rows = run(store, "evidence-for-disease", disease="solid tumor")
    assert all(r["mentioned"] == "nonhematologic malignancy" for r in rows)


def test_evidence_unknown_disease_is_empty(store) -> None:
    assert run(store, "evidence-for-disease", disease="C92.10") == []  # codes are mapped by the caller


def test_evidence_needs_a_disease(store) -> None:
    with pytest.raises(QueryError, match="disease"):
        run(store, "evidence-for-disease")
