"""The seed's coverage answers, asserted exactly against expected/seed-coverage.json (written from the
document; see its "_how"): determination, conditions with their logic, prior auth, the evidence set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import explorer
from explorer.determination import determine
from tests.cliutil import run

EXPECTED = json.loads((Path(__file__).parent / "expected" / "seed-coverage.json").read_text(encoding="utf-8"))
PPO = "Medicare PPO Blue"


def _resolve(value: Any) -> Any:
    """"$name" refers to a shared value of the expected file (texts, indications, PMID sets)."""
    if isinstance(value, str) and value.startswith("$"):
        return EXPECTED["texts"].get(value[1:], EXPECTED.get(value[1:]))
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value


CASES = {name: (case["ask"], {k: _resolve(v) for k, v in case["answer"].items()})
         for name, case in EXPECTED["cases"].items()}


@pytest.fixture(scope="module", params=["oxigraph:", "memory:"], ids=["oxigraph", "rdflib"])
def store(request, seed_web_path):
    with explorer.open_corpus([seed_web_path], store=request.param) as opened:
        yield opened


def _ask(store: Any, ask: dict[str, Any]) -> dict[str, Any]:
    return determine(store, code="38242", product=PPO, diagnosis=ask["diagnosis"], setting=ask["setting"],
                     prior_hct=ask.get("prior_hct"), service=ask.get("service")).to_json()


def _numbers(statements: list[dict[str, Any]]) -> list[int]:
    """Statement numbers of the answer's statements (IRIs are content keys since issue 16 item 6)."""
    from explorer.ingest import parse_policy_file
    from explorer.model import statement_iris
    from tests.conftest import SEED_WEB

    number = {iri: n for n, iri in statement_iris(parse_policy_file(str(SEED_WEB))).items()}
    return [number[s["iri"]] for s in statements]


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_answer_is_exactly_the_expected_one(store, seed_web_path, name):
    ask, want = CASES[name]
    data = _ask(store, ask)
    got = {
        "determination": data["determination"], "conditional": data["conditional"],
        "conditions": data["conditions"], "indications": data["indications"],
        "criteria_logic": data["criteria_logic"], "statements": _numbers(data["statements"]),
        "pa_required": data["prior_authorization"]["required"],
        "pmids": [e["pmid"] for e in data["evidence"] if e["pmid"]],
        "references": [e["reference"] for e in data["evidence"]], "crd": data["crd"],
    }
    if "per_indication" in want:
        got["per_indication"] = [s["number"] for s in data["per_indication"]]
    else:
        assert data["per_indication"] == []
    assert got == want
    text = seed_web_path.read_text(encoding="utf-8")
    for s in data["statements"]:
        assert text[s["source"]["start"]:s["source"]["end"]] == s["source"]["quote"]
    for indication in data["indications"]:      # each indication is the policy's words, in its order
        assert indication in data["statements"][0]["text"]


def test_no_diagnosis_never_takes_the_genetic_modification_statement_as_the_verdict(store):
    """Issue 14 item 1: the statement on a modified service was the verdict for a plain DLI order."""
    data = _ask(store, {"diagnosis": None, "setting": "outpatient"})
    assert data["determination"] != "investigational"
    assert all("Genetic modification" not in s["text"] for s in data["statements"] + data["per_indication"])
    per = {s["number"]: s for s in data["per_indication"]}
    assert per[1]["status"] == "medically-necessary" and per[1]["diseases"] == ["hematologic-malignancy"]
    assert per[1]["criteria_logic"] == "any-of" and per[1]["indications"] == EXPECTED["indications_1"]
    assert per[3]["diseases"] == ["nonhematologic-malignancy"]
    assert data["question"]["service"] == "donor-lymphocyte-infusion"


def test_medically_necessary_evidence_leaves_out_the_modified_lymphocyte_reference(store):
    """Issue 14 item 3: PMID 25948083 (suicide-gene-modified lymphocytes) backs statement 4, not 1."""
    data = _ask(store, {"diagnosis": "C92.10", "setting": "outpatient"})
    assert "25948083" not in {e["pmid"] for e in data["evidence"]}


@pytest.mark.parametrize("prior", [None, "medically-necessary", "investigational"])
def test_cli_json_is_the_api_answer_for_each_prior_hct(store, seed_store, prior):
    args = ["coverage", "--code", "38242", "--diagnosis", "C92.10", "--product", PPO, "--setting", "outpatient",
            "--format", "json"] + (["--prior-hct", prior] if prior else [])
    result = run(*args, store=seed_store)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == _ask(store, {"diagnosis": "C92.10", "setting": "outpatient",
                                                     "prior_hct": prior})


def test_cli_text_shows_the_logic_in_the_policys_order(seed_store):
    result = run("coverage", "--code", "38242", "--diagnosis", "C92.10", "--product", PPO,
                 "--setting", "outpatient", store=seed_store)
    lines = result.stdout.splitlines()
    start = lines.index("  and any one of these indications:")
    assert lines[start + 1:start + 4] == [f"    - {i}" for i in EXPECTED["indications_1"]]
    assert not any(line.strip().startswith("condition: indication") for line in lines)


def test_cli_without_diagnosis_lists_per_indication(seed_store):
    result = run("coverage", "--code", "38242", "--product", PPO, "--setting", "outpatient", store=seed_store)
    assert result.exit_code == 0
    head = result.stdout.splitlines()[0]
    assert head.endswith(": DIAGNOSIS NEEDED")
    assert "statement 1 [medically-necessary] for hematologic malignancy" in result.stdout
    assert "statement 3 [investigational] for nonhematologic malignancy" in result.stdout
    assert "Genetic modification" not in result.stdout


def test_cli_unknown_service_lists_the_policys_services(seed_store):
    result = run("coverage", "--code", "38242", "--diagnosis", "C92.10", "--product", PPO, "--setting", "outpatient",
                 "--service", "gene therapy", store=seed_store)
    assert result.exit_code == 2
    assert "donor-lymphocyte-infusion" in result.stderr and "genetic-modification-of-donor-lymphocytes" in result.stderr


@pytest.mark.parametrize(("product", "setting", "required", "note"), [
    # the document: "IS REQUIRED for all products if ... inpatient"; its outpatient table says "not required"
    # for each of the four products
    (None, None, None, "depends on the setting: required inpatient; not required outpatient"),
    (PPO, None, None, "depends on the setting: required inpatient; not required outpatient"),
    (None, "outpatient", False, None),
    (None, "inpatient", True, None),
    (PPO, "outpatient", False, None),
    # places of service the table does not name are read as their broader setting (data/vocab/settings.ttl)
    (PPO, "office", False, None),
    (None, "inpatient hospital", True, None),
])
def test_prior_auth_when_the_question_leaves_product_or_setting_open(store, product, setting, required, note):
    pa = determine(store, code="38242", diagnosis="C92.10", product=product,
                   setting=setting).to_json()["prior_authorization"]
    assert (pa["required"], pa["note"]) == (required, note)


def test_cli_says_what_prior_auth_depends_on(seed_store):
    out = run("coverage", "--code", "38242", "--diagnosis", "C92.10", "--store", seed_store)
    assert "Prior authorization: depends on the setting: required inpatient; not required outpatient" in out.stdout
