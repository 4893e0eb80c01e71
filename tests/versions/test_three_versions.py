"""A policy kept in three versions: the seed (BCBS MA 338, history up to 4/2019) and two revisions
of it written as a payer would (a statement's status in 1/2021, then a prior-authorization cell in
6/2022, each with its history row). The default compares the current version with the one before
it; the CLI's --from and the app's "Compared with" choose an older one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app.conftest import assert_clean, open_app
from tests.cliutil import run

HISTORY = "Date\tAction\n"
STATUS = ("infusion is **INVESTIGATIONAL** as a treatment of nonhematologic",
          "infusion is **MEDICALLY NECESSARY** as a treatment of nonhematologic")
CELL = ("Medicare PPO Blue SM\tPrior authorization is not required .",
        "Medicare PPO Blue SM\tPrior authorization is required .")


def _revise(text: str, old: str, new: str, row: str) -> str:
    assert text.count(old) == 1 and text.count(HISTORY) == 1
    return text.replace(old, new).replace(HISTORY, HISTORY + row + "\n")


@pytest.fixture(scope="module")
def three_documents(seed_web_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("three-versions")
    original = seed_web_path.read_text(encoding="utf-8")
    first = _revise(original, *STATUS, "1/2021\tAnnual policy review. Nonhematologic malignancies revised.")
    second = _revise(first, *CELL, "6/2022\tPrior authorization information revised.")
    paths = []
    for name, text in (("a-2019.txt", original), ("b-2021.txt", first), ("c-2022.txt", second)):
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _store(tmp_path_factory: pytest.TempPathFactory, documents: list[Path], name: str) -> str:
    url = f"oxigraph:{tmp_path_factory.mktemp(name) / 'store'}"
    result = run("ingest", *map(str, reversed(documents)), "-q", "--no-reason", store=url)  # newest first
    assert result.exit_code == 0, result.output
    return url


def test_cli_default_and_from(three_documents: list[Path], tmp_path_factory: pytest.TempPathFactory) -> None:
    url = _store(tmp_path_factory, three_documents, "three-cli")
    latest = json.loads(run("changes", "338", "--format", "json", store=url).stdout)
    assert (latest["from"].rpartition("/")[2], latest["to"].rpartition("/")[2]) == ("2021-01", "2022-06")
    assert [(c["kind"], c["key"], c["old"], c["new"]) for c in latest["prior_authorization"]] == [
        ("changed", "Medicare PPO Blue / outpatient", "not required", "required")]
    assert not latest["statements"] and [c["key"] for c in latest["history"]] == ["2022-06"]
    whole = json.loads(run("changes", "338", "--from", "2019-04", "--format", "json", store=url).stdout)
    assert [(c["kind"], c["key"]) for c in whole["statements"]] == [("status-changed", "statement 3")]
    assert len(whole["prior_authorization"]) == 1
    assert sorted(c["key"] for c in whole["history"]) == ["2021-01", "2022-06"]
    middle = json.loads(run("changes", "338", "--from", "2019-04", "--to", "2021-01", "--format", "json",
                            store=url).stdout)
    assert [c["kind"] for c in middle["statements"]] == ["status-changed"] and not middle["prior_authorization"]


def test_app_chooses_the_version_to_compare_with(three_documents: list[Path], tmp_path_factory: pytest.TempPathFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_EXPLORER_STORE", _store(tmp_path_factory, three_documents, "three-app"))
    at = open_app("policies", {"policy": "338"})
    assert_clean(at)
    choice = at.selectbox(key="pol_changes_from")
    assert choice.value.endswith("/version/2021-01") and [o.rpartition("/")[2] for o in choice.options] == [
        "2021-01", "2019-04"]
    assert [t.label.split(" (")[0] for t in at.tabs] == ["Prior authorization", "History"]
    choice.select(next(o for o in choice.options if o.endswith("2019-04"))).run()
    assert_clean(at)
    assert any(c.value.startswith("From version 2019-04 to version 2022-06") for c in at.caption)
    assert [t.label for t in at.tabs] == ["Statements (1)", "Prior authorization (1)", "History (2)"]
    statements = at.tabs[0].dataframe[0].value
    assert statements.iloc[0]["change"] == "status changed"
    assert statements.iloc[0]["note"].startswith("investigational -> medically-necessary")
