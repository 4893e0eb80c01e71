"""What changed between two versions of a policy (explorer.versions.diff), on the real policies
bundled in two dated versions. The expected changes were read in the two documents (line numbers
are the documents' own), not taken from a run of the comparison."""

from __future__ import annotations

import pytest
from rdflib import Graph

from explorer.ingest import parse_policy
from explorer.model import POL, facts_to_graph
from explorer.versions.diff import Change, VersionChanges, VersionMismatchError, compare_versions
from tests.versions.conftest import PAIRS, POLICIES


def _keys(changes: tuple[Change, ...], kind: str) -> set[str]:
    return {c.key for c in changes if c.kind == kind}


@pytest.fixture(scope="module")
def molina(version_graphs: dict[str, tuple[Graph, Graph]]) -> VersionChanges:
    return compare_versions(*version_graphs["molina"])


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_a_version_compared_with_itself_has_no_change(version_graphs: dict[str, tuple[Graph, Graph]],
                                                        name: str) -> None:
    for graph in version_graphs[name]:
        changes = compare_versions(graph, graph)
        assert changes.is_empty and not any(c for _, _, c in changes.by_category())


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_two_dated_versions_differ(version_graphs: dict[str, tuple[Graph, Graph]], name: str) -> None:
    old, new = version_graphs[name]
    changes = compare_versions(old, new)
    assert not changes.is_empty
    assert changes.old_version and changes.new_version and changes.old_version != changes.new_version


def test_moved_offsets_are_not_changes() -> None:
    """A line inserted at the top moves every span of the document; no fact changes."""
    path = POLICIES / PAIRS["geisinger"][1]
    text = path.read_text(encoding="utf-8")
    before = facts_to_graph(parse_policy(text, path=path.name))
    after = facts_to_graph(parse_policy("\n" + text, path=path.name))
    spans_before = set(before.objects(None, POL.sourceSpan))
    assert spans_before and not spans_before & set(after.objects(None, POL.sourceSpan))  # every offset moved
    assert compare_versions(before, after).is_empty


def test_molina_codes_only_in_one_version(molina: VersionChanges, version_graphs) -> None:  # type: ignore[no-untyped-def]
    """0614U is printed only in the 2026-03-22 document (line 11432); 0033U only in the
    2026-02-05 one (line 1311)."""
    added, removed = _keys(molina.codes, "added"), _keys(molina.codes, "removed")
    assert "CPT 0614U" in added and "CPT 0033U" in removed
    assert not added & removed
    new_0614 = next(c for c in molina.codes if c.key == "CPT 0614U")
    assert new_0614.old is None and new_0614.new is not None and "mitochondrial" in new_0614.new
    assert new_0614.detail == "procedure"
    # the listings added less those removed are the difference of the two code tables
    old, new = version_graphs["molina"]
    listings = [len(set(g.objects(None, POL.hasCodeListing))) for g in (old, new)]
    assert len(added) - len(removed) == listings[1] - listings[0]


def test_molina_references_only_in_one_version(molina: VersionChanges) -> None:
    """The 2026-02-05 list cites Green RC (PMID 23788249, line 2550) and Miller DT (PMID 37347242,
    line 2563), the 2026-03-22 list neither; the newer cites Rodan LH (line 12197), the older not."""
    removed = _keys(molina.references, "removed")
    assert {"PMID 23788249", "PMID 37347242"} <= removed
    rodan = [c for c in molina.references if c.kind == "added" and c.new and "Rodan LH" in c.new]
    assert len(rodan) == 1 and rodan[0].old is None
    assert not {k for k in removed if k.startswith(("PMID", "DOI"))} & _keys(molina.references, "added")


def test_molina_a_corrected_typo_is_one_reworded_reference(molina: VersionChanges) -> None:
    """ADLM entries 4 and 5: "Diagnostocs" (2026-02-05, lines 2520, 2524) became "Diagnostics"."""
    reworded = [c for c in molina.references if c.kind == "reworded"]
    fixed = [c for c in reworded if c.old and "Diagnostocs" in c.old]
    assert len(fixed) == 2
    assert all(c.new and "Diagnostics" in c.new and "Diagnostocs" not in c.new for c in fixed)
    assert not any("Diagnost" in (c.old or c.new or "") for c in molina.references if c.kind != "reworded")


def test_molina_approval_dates(molina: VersionChanges) -> None:
    """"Last Approval: 02/12/2025" -> "02/11/2026"; "Next Review Due By: February 2026" -> "February 2027"."""
    header = {c.key: (c.old, c.new, c.kind) for c in molina.header}
    assert header["reviewed date"] == ("2025-02-12", "2026-02-11", "changed")
    assert header["next-review date"] == ("2026-02", "2027-02", "changed")
    assert molina.old_version and molina.old_version.endswith("/version/2025-02-12")
    assert molina.new_version and molina.new_version.endswith("/version/2026-02-11")


def test_molina_the_reanalysis_exception_extends_a_criterion(molina: VersionChanges) -> None:
    """Under the second-test statement, the 2026-02-05 criterion "The genetic test identifies other
    mutations not previously tested and is different from the original test" goes on in the
    2026-03-22 document with "Exception for reanalysis of prior genetic testing results: ...": one
    criterion reworded (a tail added), not one removed and one added. The statements themselves are
    worded as before."""
    assert not [c for c in molina.statements if c.kind in ("added", "removed", "reworded", "status-changed")]
    [extended] = [c for c in molina.statements if c.new and "reanalysis" in c.new]
    assert extended.kind == "criterion-reworded" and extended.old and extended.new
    assert extended.old == ("The genetic test identifies other mutations not previously tested and is different "
                            "from the original test")
    assert extended.new.startswith(extended.old + ". Exception for reanalysis of prior genetic testing results")
    assert "a lead-in or tail added or dropped" in extended.detail and "A second genetic test" in extended.detail


def test_geisinger_the_navdx_surveillance_statement_and_its_reference(version_graphs) -> None:  # type: ignore[no-untyped-def]
    """2026-03-22, line 179: "NavDx test is considered to be medically necessary the surveillance of
    cancer recurrence ..." and line 402 "Kabarriti, R.; ...": neither is in the 2026-02-05 document."""
    changes = compare_versions(*version_graphs["geisinger"])
    added = [c for c in changes.statements if c.kind == "added"]
    assert len(added) == 1 and added[0].new is not None
    assert added[0].new.startswith("NavDx test is considered to be medically necessary the surveillance")
    assert added[0].detail == "medically-necessary"
    assert not [c for c in changes.statements if c.kind == "removed"]
    kabarriti = [c for c in changes.references if c.new and c.new.startswith("Kabarriti")]
    assert [c.kind for c in kabarriti] == ["added"]
    assert not [c for c in changes.references if c.kind == "removed"]


def test_bcbssc_the_codes_its_history_says_were_added(version_graphs) -> None:  # type: ignore[no-untyped-def]
    """The 2026-03-22 history row of 01/21/2026 says "Adding PLA codes 0012M, 0013M, 0363U,
    0420U, 0452U, 0465U, 0549U, 0613U"; the effective date moved from 07/01/2023 to 10/01/2024."""
    changes = compare_versions(*version_graphs["bcbssc"])
    printed = "0012M, 0013M, 0363U, 0420U, 0452U, 0465U, 0549U, 0613U"
    assert _keys(changes.codes, "added") == {f"CPT {code}" for code in printed.split(", ")}
    assert not _keys(changes.codes, "removed")
    history = [c for c in changes.history if c.kind == "added"]
    assert [c.key for c in history] == ["2026-01-21"] and history[0].new and printed in history[0].new
    assert {c.key: (c.old, c.new) for c in changes.header}["effective date"] == ("2023-07-01", "2024-10-01")


def test_bcbssc_a_dropped_lead_in_is_one_reworded_statement(version_graphs) -> None:  # type: ignore[no-untyped-def]
    """The 2026-02-05 page says "For all situations not addressed above, analysis of PD-L1 by liquid
    biopsy is considered NOT MEDICALLY NECESSARY"; the 2026-03-22 page "Analysis of PD-L1 by liquid
    biopsy is considered NOT MEDICALLY NECESSARY": under 0.8 similar, but the newer is the older
    without its lead-in, so one statement reworded. The PIK3CA statement (HR-positive/HER2-negative
    breast cancer in the older page, invasive breast cancer ... stage IV in the newer) is less alike:
    one removed, one added."""
    changes = compare_versions(*version_graphs["bcbssc"])
    [pd_l1] = [c for c in changes.statements if "PD-L1" in (c.old or c.new or "")]
    assert pd_l1.kind == "reworded" and pd_l1.old and pd_l1.new
    assert pd_l1.old.startswith("For all situations not addressed above, analysis of PD-L1")
    assert pd_l1.new.startswith("Analysis of PD-L1 by liquid biopsy")
    assert pd_l1.detail.startswith("not-medically-necessary; similarity 0.7")
    assert pd_l1.detail.endswith("a lead-in or tail added or dropped")
    removed = [c.old for c in changes.statements if c.kind == "removed"]
    added = [c.new for c in changes.statements if c.kind == "added"]
    assert any(t and "HR-positive/HER2-negative breast cancer" in t for t in removed)
    assert any(t and "invasive breast cancer that is recurrent and unresectable" in t for t in added)


def test_two_different_policies_are_refused(version_graphs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VersionMismatchError, match="not two versions of one policy"):
        compare_versions(version_graphs["molina"][0], version_graphs["geisinger"][1])
    with pytest.raises(VersionMismatchError, match="one policy"):
        compare_versions(Graph(), version_graphs["molina"][0])


def test_json_lists_every_fact_type(molina: VersionChanges) -> None:
    data = molina.to_json()
    assert data["from"] == molina.old_version and data["to"] == molina.new_version
    assert {"statements", "prior_authorization", "codes", "named_tests", "references", "history", "header"} <= set(data)
    assert {"kind": "added", "key": "CPT 0614U"}.items() <= next(
        c for c in data["codes"] if c["key"] == "CPT 0614U").items()


def test_a_status_and_a_prior_authorization_cell_revised(seed_web_path) -> None:  # type: ignore[no-untyped-def]
    """No bundled pair changes a status or a prior-authorization cell, so the seed (BCBS MA 338) is
    revised as a payer would: statement 3 from INVESTIGATIONAL to MEDICALLY NECESSARY, and
    Medicare PPO Blue's outpatient cell from "not required" to "required"."""
    text = seed_web_path.read_text(encoding="utf-8")
    revised = text.replace("infusion is **INVESTIGATIONAL** as a treatment of nonhematologic",
                           "infusion is **MEDICALLY NECESSARY** as a treatment of nonhematologic", 1)
    revised = revised.replace("Medicare PPO Blue SM\tPrior authorization is not required .",
                              "Medicare PPO Blue SM\tPrior authorization is required .", 1)
    assert revised.count("MEDICALLY NECESSARY**") == text.count("MEDICALLY NECESSARY**") + 1
    before = facts_to_graph(parse_policy(text, path=seed_web_path.name))
    changes = compare_versions(before, facts_to_graph(parse_policy(revised, path=seed_web_path.name)))
    [status] = changes.statements
    assert (status.kind, status.key) == ("status-changed", "statement 3")
    assert status.old and status.old.startswith("Donor lymphocyte infusion is INVESTIGATIONAL as a treatment")
    assert status.new and status.new.startswith("Donor lymphocyte infusion is MEDICALLY NECESSARY as a treatment")
    assert status.detail.startswith("investigational -> medically-necessary")
    [cell] = changes.prior_authorization
    assert (cell.kind, cell.key, cell.old, cell.new) == ("changed", "Medicare PPO Blue / outpatient",
                                                         "not required", "required")
    assert not (changes.codes or changes.references or changes.history or changes.header or changes.named_tests)
