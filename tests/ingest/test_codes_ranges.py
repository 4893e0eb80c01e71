"""Printed code ranges are kept as printed and expanded where the code system allows (issue 13
item 3); the coverage lookup counts a code inside a listed range as listed. Real documents:
BCBSM "Genetic Testing and Counseling" prints "S3800-S3870, 81161-81170, 81200-88291, 0002M-0010M";
WellCare's ctDNA policy lists ICD-10-CM "C18-C21"; Anthem CG-GENE-13 "K85.00-K85.02"."""

from __future__ import annotations

from pathlib import Path

import pytest

import explorer
from explorer.determination import determine
from explorer.determination.model import NOT_ADDRESSED
from explorer.ingest import parse_policy_file
from explorer.ingest.code_ranges import MAX_MEMBERS, expand_range, in_range

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
BCBSM = REAL / "bcbsm-genetic-testing-counseling.txt"


@pytest.fixture(scope="module")
def bcbsm_codes() -> dict[str, str]:
    return {c.code: c.system for c in parse_policy_file(BCBSM).codes}


def test_ranges_stay_one_code_as_printed(bcbsm_codes):
    assert {"S3800-S3870": "HCPCS", "81161-81170": "CPT", "81200-88291": "CPT", "0002M-0010M": "CPT"}.items() \
        <= bcbsm_codes.items()
    assert "81165" not in bcbsm_codes  # members are not listed one by one


def test_small_cpt_and_hcpcs_ranges_expand_to_their_members():
    assert expand_range("CPT", "81161-81170") == tuple(str(n) for n in range(81161, 81171))
    assert expand_range("CPT", "0002M-0010M") == ("0002M", "0003M", "0004M", "0005M", "0006M", "0007M", "0008M",
                                                  "0009M", "0010M")
    hcpcs = expand_range("HCPCS", "S3800-S3870")
    assert hcpcs is not None and len(hcpcs) == 71 and hcpcs[0] == "S3800" and hcpcs[-1] == "S3870"


def test_a_long_or_mixed_range_is_not_expanded():
    assert MAX_MEMBERS < 88291 - 81200 + 1
    assert expand_range("CPT", "81200-88291") is None  # BCBSM prints it so (the gold calls it a typo)
    assert expand_range("CPT", "81161-0010M") is None and expand_range("CPT", "81161") is None


def test_icd_ranges_expand_to_the_codes_that_exist():
    wellcare = {c.code for c in parse_policy_file(REAL / "wellcare-concert-ctdna-liquid-biopsy.txt").codes}
    anthem = {c.code for c in parse_policy_file(REAL / "anthem-CG-GENE-13-genetic-testing-inherited-disease.txt").codes}
    assert "C18-C21" in wellcare and "K85.00-K85.02" in anthem
    assert expand_range("ICD-10-CM", "K85.00-K85.02") == ("K85.00", "K85.01", "K85.02")
    colorectal = expand_range("ICD-10-CM", "C18-C21")
    assert colorectal is not None and colorectal[0] == "C18" and colorectal[-1] == "C21.8"
    assert {"C18.7", "C19", "C20", "C21.1"} <= set(colorectal) and "C22.0" not in colorectal
    assert "C19.0" not in colorectal  # C19 has no subcategories: only codes that exist
    assert in_range("ICD-10-CM", "c187", "C18-C21") and not in_range("ICD-10-CM", "C17.9", "C18-C21")


@pytest.mark.parametrize("printed", ["C18-C21", "K85.00-K85.02", "C81.00-C96.9", "A00-B99", "Z80-Z84", "D37.0-D49.9"])
def test_an_icd_range_is_the_tabular_slice_without_chapters_and_blocks(printed: str) -> None:
    """The range's members read in one query are those of the package's code list sliced from the
    first bound to the last bound's last descendant, chapters and blocks left out."""
    from explorer.diagnoses.icd10cm import icd, normalise

    lib = icd()
    first, last = (normalise(b) for b in printed.split("-"))
    end = max([lib.get_index(last), *(lib.get_index(d) for d in lib.get_descendants(last))])
    everything = lib.get_all_codes(True)
    expected = tuple(c for c in everything[lib.get_index(first):end + 1] if not lib.is_chapter_or_block(c))
    assert expected and expand_range("ICD-10-CM", printed) == expected


def test_coverage_finds_a_policy_by_a_code_inside_its_range():
    with explorer.open_corpus([BCBSM]) as store:
        inside = determine(store, code="81165", diagnosis="C50.911")
        assert inside.policy_number == "genetic-testing-and-counseling"
        assert determine(store, code="0005M", diagnosis="C50.911").policy_number == inside.policy_number
        outside = determine(store, code="81171", diagnosis="C50.911")
        assert outside.determination == NOT_ADDRESSED and outside.policy_number is None
        # inside the printed 81200-88291 but that range is too long to expand: not listed
        assert determine(store, code="85000", diagnosis="C50.911").determination == NOT_ADDRESSED
