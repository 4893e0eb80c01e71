"""`policy-explorer changes`: a stored policy's current version against the one before it, a
named pair of stored versions, a document not ingested (--with), two files; bad input is one line
and exit 2."""

from __future__ import annotations

import json

from explorer.model.iris import version_graph_iri
from explorer.store import open_store
from tests.cliutil import run
from tests.versions.conftest import PAIRS, POLICIES

MOLINA = "https://w3id.org/policy-explorer/id/policy/molina/051"


def test_default_compares_the_current_version_with_the_one_before(two_version_store: str) -> None:
    result = run("changes", "051", "--format", "json", store=two_version_store)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["policy"] == MOLINA
    assert (data["from"], data["to"]) == (f"{MOLINA}/version/2025-02-12", f"{MOLINA}/version/2026-02-11")
    codes = {(c["kind"], c["key"]) for c in data["codes"]}
    assert ("added", "CPT 0614U") in codes and ("removed", "CPT 0033U") in codes
    assert {"PMID 23788249", "PMID 37347242"} <= {c["key"] for c in data["references"] if c["kind"] == "removed"}


def test_table_names_the_versions_and_each_fact_type(two_version_store: str) -> None:
    result = run("changes", "051", store=two_version_store)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{MOLINA}: changes from 2025-02-12 to 2026-02-11"
    assert any(line.startswith("Codes: ") and "added" in line and "removed" in line for line in lines)
    assert any(line.startswith("  + CPT 0614U: Inborn error of metabolism") for line in lines)
    assert any(line.startswith("  - PMID 37347242: 17. Miller DT") for line in lines)
    assert "  ~ reviewed date" in lines and "      was: 2025-02-12" in lines and "      now: 2026-02-11" in lines


def test_naming_both_versions_backwards_reverses_the_changes(two_version_store: str) -> None:
    forward = json.loads(run("changes", "051", "--format", "json", store=two_version_store).stdout)
    result = run("changes", "051", "--from", "2026-02-11", "--to", "2025-02-12", "--format", "json",
                 store=two_version_store)
    assert result.exit_code == 0, result.stderr
    back = json.loads(result.stdout)
    flip = {"added": "removed", "removed": "added"}
    assert {(flip[c["kind"]], c["key"]) for c in back["codes"]} == {(c["kind"], c["key"]) for c in forward["codes"]}
    same = run("changes", "051", "--from", "current", "--to", f"{MOLINA}/version/2026-02-11", store=two_version_store)
    assert same.exit_code == 0 and "no changes" in same.stdout


def test_with_a_document_not_ingested_leaves_the_store_as_it_was(two_version_store: str) -> None:
    with open_store(two_version_store) as store:
        graphs_before = sorted(store.graph_iris())
    older = POLICIES / PAIRS["molina"][0]
    result = run("changes", "051", "--with", str(older), "--format", "json", store=two_version_store)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["from"], data["to"]) == (f"{MOLINA}/version/2026-02-11", f"{MOLINA}/version/2025-02-12")
    assert ("removed", "CPT 0614U") in {(c["kind"], c["key"]) for c in data["codes"]}
    same = run("changes", "051", "--from", "2025-02-12", "--with", str(older), store=two_version_store)
    assert same.exit_code == 0 and "no changes" in same.stdout
    with open_store(two_version_store) as store:
        assert sorted(store.graph_iris()) == graphs_before
        assert str(version_graph_iri(f"{MOLINA}/version/2025-02-12")) in graphs_before


def test_two_files_without_a_store() -> None:
    old, new = (str(POLICIES / name) for name in PAIRS["bcbssc"])
    result = run("changes", old, new, "--format", "json")
    assert result.exit_code == 0, result.stderr
    added = {c["key"] for c in json.loads(result.stdout)["codes"] if c["kind"] == "added"}
    assert "CPT 0012M" in added


def test_bad_input_is_one_line_and_exit_2(two_version_store: str) -> None:
    cases = [
        (("changes", "999"), "known: "),
        (("changes", "051", "--from", "1999-01-01"), "stored versions: 2025-02-12, 2026-02-11 (current)"),
        (("changes", "MP360"), "keeps no version of"),  # one version stored: nothing before it
        (("changes", "051", "--with", "/no/such/file.txt"), "no such file"),
        (("changes", "051", "--with", str(POLICIES / PAIRS["geisinger"][1])), "not https://"),
        (("changes", "051", "--with", str(POLICIES / PAIRS["molina"][0]), "--to", "current"), "--with"),
        (("changes", str(POLICIES / PAIRS["molina"][0]), str(POLICIES / PAIRS["geisinger"][1])),
         "not two versions of one policy"),
    ]
    for args, message in cases:
        result = run(*args, store=two_version_store)
        assert result.exit_code == 2, (args, result.stdout)
        assert result.stderr.count("\n") == 1 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
