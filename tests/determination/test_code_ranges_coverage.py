"""Coverage for diagnoses at the edges of the taxonomy's ICD-10-CM ranges (issue 16, item 2): D47.Z1
(post-transplant lymphoproliferative disorder) and D47.2 (monoclonal gammopathy) used to answer
through "myeloid malignancy" because the range D45-D47 was a string."""

from __future__ import annotations

import json

import pytest

import explorer
from explorer.determination import determine
from tests.cliutil import run

PPO = "Medicare PPO Blue"


@pytest.fixture(scope="module")
def store(seed_web_path):
    with explorer.open_corpus([seed_web_path], store="oxigraph:") as opened:
        yield opened


def test_ptld_is_not_myeloid_malignancy(store):
    answer = determine(store, code="38242", diagnosis="D47.Z1", product=PPO, setting="outpatient")
    assert answer.diagnosis is not None
    assert answer.diagnosis.diseases == ("lymphoid-malignancy",)
    assert "myeloid-malignancy" not in answer.diagnosis.ancestors
    # a lymphoid hematologic malignancy: statement 1 (hematologic malignancy) applies
    assert answer.determination == "medically-necessary"


def test_monoclonal_gammopathy_is_not_myeloid_malignancy(store):
    answer = determine(store, code="38242", diagnosis="D47.2", product=PPO, setting="outpatient")
    assert answer.diagnosis is not None and answer.diagnosis.diseases == ()
    assert answer.determination == "not-addressed" and not answer.statements


@pytest.mark.parametrize("diagnosis", ["D47.Z1", "D47.2"])
def test_cli_coverage_does_not_answer_through_myeloid_malignancy(seed_store, diagnosis):
    result = run("coverage", "--code", "38242", "--diagnosis", diagnosis, "--product", PPO,
                 "--setting", "outpatient", "--format", "json", store=f"oxigraph:{seed_store}")
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert "myeloid-malignancy" not in data["diagnosis"]["diseases"]
    assert "myeloid" not in json.dumps(data["diagnosis"])


def test_myelodysplastic_syndrome_still_covered(store):
    answer = determine(store, code="38242", diagnosis="D46.9", product=PPO, setting="outpatient")
    assert answer.determination == "medically-necessary"
    assert answer.diagnosis is not None and answer.diagnosis.diseases == ("myelodysplastic-syndrome",)
