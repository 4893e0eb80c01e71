"""History rows of the generic reader: each date's action is its own words, up to the next date, as
the documents print them (tests/fixtures/real)."""

from __future__ import annotations

from collections.abc import Callable

from explorer.ingest.facts import PolicyFacts


def test_dates_listed_on_one_line_each_keep_their_own_action(parsed: Callable[[str], PolicyFacts]) -> None:
    # Geisinger MP360 (2026-03-22): "Revised: 6/23 (add indication); 12/23 (add NavDx for Medicare);
    # 12/24 (add indications); 5/25 (expand NavDx to all lob's);" / "8/25 (add indication); 1/26 (add
    # indication for NavDx)" and "CMS UM Oversight Committee Approval: 12/23, 02/25, 7/25, 10/25, 3/26"
    history = {h.date: h.action for h in parsed("geisinger-MP360-minimal-residual-disease.2026-03-22.txt").history}
    assert history["2023-06"] == "(add indication)"
    assert history["2023-12"] == "(add NavDx for Medicare)"
    assert history["2026-01"] == "(add indication for NavDx)"
    assert history["2025-10"] == history["2026-03"] == "CMS UM Oversight Committee Approval"


def test_rows_of_a_history_flattened_to_one_line_end_at_the_next_date(parsed: Callable[[str], PolicyFacts]) -> None:
    # BCBS SC CAM 273 (2026-03-22), a page whose text is one line: "... 04/24/2024 Annual review, no
    # change to policy intent. Updating rationale and references. 01/11/2024 Added code 81462 ..."
    history = {h.date: h.action for h in parsed("bcbssc-liquid-biopsy.2026-03-22.txt").history}
    assert history["2024-04-24"] == "Annual review, no change to policy intent. Updating rationale and references."
    # a date inside a row that says when a code takes effect is not a row of its own, nor a row's end
    assert history["2024-09-05"].startswith("Updated CPT coding. Added codes 0490U")
    assert "(effective 10/01/2024). No change in policy intent." in history["2024-09-05"]
