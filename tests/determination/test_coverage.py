"""Coverage answers on the seed (the issue's must-show cases), through the API and the CLI."""

from __future__ import annotations

import json

import pytest

import explorer
from explorer.determination import determine
from explorer.errors import DiagnosisError, UnknownTermError
from tests.cliutil import run

PPO = "Medicare PPO Blue"


@pytest.fixture(scope="module", params=["oxigraph:", "memory:"], ids=["oxigraph", "rdflib"])
def store(request, seed_web_path):
    """Every coverage answer is checked on Oxigraph and on the rdflib memory: store."""
    with explorer.open_corpus([seed_web_path], store=request.param) as opened:
        yield opened


def test_cml_outpatient_is_conditionally_medically_necessary_without_prior_auth(store, seed_web_path):
    answer = determine(store, code="38242", diagnosis="C92.10", product=PPO, setting="outpatient")
    data = answer.to_json()
    assert (data["determination"], data["conditional"]) == ("medically-necessary", True)
    assert any("originally considered medically necessary" in c for c in data["conditions"])
    assert data["prior_authorization"]["required"] is False
    assert data["crd"] == {"covered": "conditional", "pa-needed": "no-auth"}
    assert data["diagnosis"]["diseases"] == ["chronic-myeloid-leukemia"]
    text = seed_web_path.read_text(encoding="utf-8")
    first = data["statements"][0]
    assert first["status"] == "medically-necessary" and "**MEDICALLY NECESSARY**" in first["source"]["quote"]
    for source in [s["source"] for s in data["statements"]] + [data["prior_authorization"]["source"]]:
        assert text[source["start"]:source["end"]] == source["quote"]
    pmids = {e["pmid"] for e in data["evidence"]}
    assert {"20381970"} <= pmids          # ref 1: DLI in relapsed hematological malignancies
    assert "9354693" not in pmids         # multiple myeloma evidence is not CML evidence


def test_inpatient_needs_prior_auth(store):
    answer = determine(store, code="38242", diagnosis="C92.10", product=PPO, setting="inpatient")
    assert answer.prior_authorization is not None and answer.prior_authorization.required is True
    assert answer.crd["pa-needed"] == "auth-needed"


def test_solid_tumor_is_investigational(store):
    answer = determine(store, code="38242", diagnosis="C50.911", product=PPO, setting="outpatient")
    assert answer.determination == "investigational" and answer.crd["covered"] == "not-covered"
    assert answer.diagnosis is not None and answer.diagnosis.diseases == ("breast-cancer",)
    assert "nonhematologic-malignancy" in answer.diagnosis.ancestors
    assert "nonhematologic" in answer.statements[0].text


def test_investigational_prior_hct_makes_dli_investigational(store):
    answer = determine(store, code="38242", diagnosis="C92.10", product=PPO, setting="outpatient",
                       prior_hct="investigational")
    assert answer.determination == "investigational" and not answer.conditional
    assert [s.number for s in answer.statements] == [2]


def test_code_no_policy_lists_is_not_addressed(store):
    answer = determine(store, code="99999", diagnosis="C92.10", product=PPO, setting="outpatient")
    assert answer.determination == "not-addressed" and answer.statements == ()


@pytest.mark.parametrize(("field", "value"), [("product", "Medicare PPO"), ("setting", "hospice")])
def test_unknown_product_or_setting_lists_the_valid_ones(store, field, value):
    args = {"code": "38242", "diagnosis": "C92.10", "product": PPO, "setting": "outpatient", field: value}
    with pytest.raises(UnknownTermError) as err:
        determine(store, **args)
    assert value in str(err.value) and ("Medicare PPO Blue" in str(err.value) or "outpatient" in str(err.value))


def test_invalid_diagnosis_is_an_error(store):
    with pytest.raises(DiagnosisError, match="C92.99X"):
        determine(store, code="38242", diagnosis="C92.99X", product=PPO, setting="outpatient")


def test_python_api_gives_the_cli_answer(store, seed_store):
    api = explorer.coverage(store, code="38242", diagnosis="C92.10", product=PPO, setting="outpatient").to_json()
    result = run("coverage", "--code", "38242", "--diagnosis", "C92.10", "--product", PPO, "--setting", "outpatient",
                 "--format", "json", store=seed_store)
    assert result.exit_code == 0 and json.loads(result.stdout) == api


def test_cli_bad_product_exits_2(seed_store):
    result = run("coverage", "--code", "38242", "--diagnosis", "C92.10", "--product", "Gold Plan",
                 "--setting", "outpatient", store=seed_store)
    assert result.exit_code == 2 and "Medicare PPO Blue" in result.stderr and "Traceback" not in result.stderr
