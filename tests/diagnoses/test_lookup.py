"""lookup_diagnosis: official ICD-10-CM entries mapped to the most specific diseases."""

from __future__ import annotations

import pytest

from explorer.diagnoses import Diagnosis, DiagnosisError, lookup_diagnosis
from explorer.errors import ExplorerError, UnknownCodeError


@pytest.mark.parametrize(
    ("code", "description_part", "diseases"),
    [
        ("C92.10", "Chronic myeloid leukemia", ("chronic-myeloid-leukemia",)),
        ("C50.911", "right female breast", ("breast-cancer",)),
        ("C34.90", "bronchus or lung", ("lung-cancer",)),
        ("C18.7", "sigmoid colon", ("colon-cancer",)),
        ("C10.9", "oropharynx", ("oropharyngeal-cancer",)),
        ("Z15.01", "breast", ("hereditary-breast-and-ovarian-cancer",)),
        ("I42.1", "hypertrophic cardiomyopathy", ("hypertrophic-cardiomyopathy",)),
        ("C91.00", "Acute lymphoblastic leukemia", ("acute-lymphoblastic-leukemia",)),
        ("C90.00", "Multiple myeloma", ("multiple-myeloma",)),
        ("D46.9", "Myelodysplastic syndrome", ("myelodysplastic-syndrome",)),
        ("C81.90", "Hodgkin lymphoma", ("hodgkin-lymphoma",)),
        ("C83.30", "Diffuse large B-cell lymphoma", ("non-hodgkin-lymphoma",)),
        ("D89.810", "graft-versus-host disease", ("graft-versus-host-disease",)),
        ("C92.00", "Acute myeloblastic leukemia", ("acute-myeloid-leukemia",)),
    ],
)
def test_examples_map_to_most_specific_disease(
    code: str, description_part: str, diseases: tuple[str, ...]
) -> None:
    diagnosis = lookup_diagnosis(code)
    assert diagnosis.code == code
    assert description_part in diagnosis.description
    assert diagnosis.billable is True
    assert diagnosis.diseases == diseases


def test_c92_10_full_record() -> None:
    assert lookup_diagnosis("C92.10") == Diagnosis(
        code="C92.10",
        description="Chronic myeloid leukemia, BCR/ABL-positive, not having achieved remission",
        billable=True,
        chapter_path=("2", "C81-C96", "C92", "C92.1"),
        diseases=("chronic-myeloid-leukemia",),
        disease_ancestors=(
            "myeloid-leukemia",
            "leukemia",
            "myeloid-malignancy",
            "hematologic-malignancy",
            "malignancy",
        ),
    )


def test_solid_tumour_is_not_hematologic() -> None:
    diagnosis = lookup_diagnosis("C50.911")
    assert diagnosis.disease_ancestors == ("nonhematologic-malignancy", "malignancy")
    assert "hematologic-malignancy" not in diagnosis.disease_ancestors


def test_valid_code_without_malignancy_maps_to_no_disease() -> None:
    diagnosis = lookup_diagnosis("Z00.00")
    assert diagnosis.description.startswith("Encounter for general adult medical examination")
    assert diagnosis.diseases == ()
    assert diagnosis.disease_ancestors == ()
    assert diagnosis.chapter_path[0] == "21"


def test_category_is_accepted_but_not_billable() -> None:
    diagnosis = lookup_diagnosis("C92")
    assert diagnosis.billable is False
    assert diagnosis.description == "Myeloid leukemia"
    assert diagnosis.chapter_path == ("2", "C81-C96")
    assert diagnosis.diseases == ("myeloid-leukemia",)


def test_code_with_seventh_character_is_accepted() -> None:
    diagnosis = lookup_diagnosis("s72001a")
    assert diagnosis.code == "S72.001A"
    assert diagnosis.chapter_path[-1] == "S72.001"
    assert diagnosis.diseases == ()


@pytest.mark.parametrize("spelling", ["C92.10", "c9210", "  c92.10 ", "C9210\n", "c92.10"])
def test_spellings_normalise(spelling: str) -> None:
    assert lookup_diagnosis(spelling).code == "C92.10"


@pytest.mark.parametrize("code", ["C92.99X", "XYZ", "", "   ", "C92.1X", "C9.210", "C92..10", "C81-C96", "2"])
def test_invalid_codes_are_errors_naming_the_code(code: str) -> None:
    with pytest.raises(DiagnosisError) as info:
        lookup_diagnosis(code)
    message = str(info.value)
    assert "not a valid ICD-10-CM code" in message
    if code.strip():
        assert repr(code.strip()) in message


@pytest.mark.parametrize("code", ["38242", "0001F"])
def test_cpt_code_given_as_diagnosis_says_so(code: str) -> None:
    with pytest.raises(DiagnosisError, match=rf"'{code}' is not a valid ICD-10-CM code.*CPT"):
        lookup_diagnosis(code)


def test_chapter_or_block_says_so() -> None:
    with pytest.raises(DiagnosisError, match="chapter or block"):
        lookup_diagnosis("C81-C96")


def test_error_is_in_the_explorer_hierarchy() -> None:
    assert issubclass(DiagnosisError, UnknownCodeError)
    assert issubclass(DiagnosisError, ExplorerError)
