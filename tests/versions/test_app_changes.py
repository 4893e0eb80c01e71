"""The Policies page's "What changed" section: shown for a policy whose earlier version the store
keeps (Molina MCP-051), with one table per fact type; absent for a policy stored once."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import assert_clean, open_app


@pytest.fixture(autouse=True)
def _store(monkeypatch: pytest.MonkeyPatch, app_two_version_store: str) -> None:
    monkeypatch.setenv("POLICY_EXPLORER_STORE", app_two_version_store)


def _tab(at: AppTest, heading: str):  # type: ignore[no-untyped-def]
    return next(t for t in at.tabs if t.label.startswith(heading + " ("))


def test_what_changed_since_the_earlier_version() -> None:
    at = open_app("policies", {"policy": "051"})
    assert_clean(at)
    assert "What changed" in [h.value for h in at.subheader]
    caption = next(c.value for c in at.caption if c.value.startswith("From version"))
    assert caption.startswith("From version 2025-02-12 to version 2026-02-11 (the current one)")
    labels = [t.label for t in at.tabs]
    assert [label.split(" (")[0] for label in labels] == ["Statements", "Codes", "References", "History",
                                                          "Title and dates"]
    codes = _tab(at, "Codes").dataframe[0].value
    assert int(_tab(at, "Codes").label.split("(")[1].rstrip(")")) == len(codes)
    row = codes[codes["fact"] == "CPT 0614U"].iloc[0]
    assert row["change"] == "added" and row["before"] == "" and "mitochondrial" in row["after"]
    assert "CPT 0033U" in set(codes[codes["change"] == "removed"]["fact"])
    dates = _tab(at, "Title and dates").dataframe[0].value
    reviewed = dates[dates["fact"] == "reviewed date"].iloc[0]
    assert (reviewed["before"], reviewed["after"]) == ("2025-02-12", "2026-02-11")
    refs = _tab(at, "References").dataframe[0].value
    assert {"PMID 23788249", "PMID 37347242"} <= set(refs[refs["change"] == "removed"]["fact"])


def test_no_section_for_a_policy_stored_once() -> None:
    at = open_app("policies", {"policy": "MP360"})
    assert_clean(at)
    assert "What changed" not in [h.value for h in at.subheader]
    assert not at.tabs
