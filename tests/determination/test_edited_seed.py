"""Coverage answers on edited copies of the seed: each edit is one sentence of the real policy, reworded
the way other payers word it, and the answer must follow the words (not the seed's habits)."""

from __future__ import annotations

from pathlib import Path

import pytest

import explorer
from explorer.determination import determine

PPO = "Medicare PPO Blue"
STATEMENT_3 = "Donor lymphocyte infusion is **INVESTIGATIONAL** as a treatment of nonhematologic"
PPO_OUTPATIENT = "Medicare PPO Blue SM\tPrior authorization is not required ."


def _edited(tmp_path: Path, seed: Path, old: str, new: str) -> Path:
    text = seed.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / seed.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _answer(path: Path, diagnosis: str, **kwargs: str) -> dict:  # type: ignore[type-arg]
    with explorer.open_corpus([path]) as store:
        return determine(store, code="38242", diagnosis=diagnosis, product=PPO, **kwargs).to_json()


@pytest.mark.parametrize("word", ["EXPERIMENTAL"])
def test_status_synonyms_are_investigational(tmp_path, seed_web_path, word):
    path = _edited(tmp_path, seed_web_path, STATEMENT_3, STATEMENT_3.replace("**INVESTIGATIONAL**", f"**{word}**"))
    data = _answer(path, "C50.911", setting="outpatient")
    assert (data["determination"], data["crd"]["covered"]) == ("investigational", "not-covered")
    assert word in data["statements"][0]["source"]["quote"]


@pytest.mark.parametrize("wording", ["Prior authorization may be required .",
                                     "Prior authorization might be required ."])
def test_uncertain_prior_auth_wording_is_not_required(tmp_path, seed_web_path, wording):
    """'may be required' is not 'required': required is null with the document's words, CRD conditional."""
    path = _edited(tmp_path, seed_web_path, PPO_OUTPATIENT, f"Medicare PPO Blue SM\t{wording}")
    data = _answer(path, "C92.10", setting="outpatient")
    pa = data["prior_authorization"]
    assert pa["required"] is None and wording.rstrip(" .") in pa["note"]
    assert pa["source"]["quote"].endswith(wording)
    assert data["crd"] == {"covered": "conditional", "pa-needed": "conditional"}


def test_plain_required_wording_is_required(tmp_path, seed_web_path):
    path = _edited(tmp_path, seed_web_path, PPO_OUTPATIENT, "Medicare PPO Blue SM\tPrior authorization is required .")
    data = _answer(path, "C92.10", setting="outpatient")
    assert data["prior_authorization"]["required"] is True and data["crd"]["pa-needed"] == "auth-needed"
