"""search_diagnoses for the UI search box, and disease_for_label."""

from __future__ import annotations

import pytest

from explorer.diagnoses import disease_for_label, lookup_diagnosis, search_diagnoses


def test_search_by_code_prefix_in_code_order() -> None:
    results = search_diagnoses("c92.1")
    assert results == [
        (code, lookup_diagnosis(code).description) for code in ("C92.1", "C92.10", "C92.11", "C92.12")
    ]


def test_search_by_code_prefix_without_dot() -> None:
    codes = [code for code, _ in search_diagnoses("C921")]
    assert codes == ["C92.1", "C92.10", "C92.11", "C92.12"]


def test_search_by_words_is_case_insensitive() -> None:
    results = search_diagnoses("CHRONIC myeloid", limit=50)
    codes = [code for code, _ in results]
    assert "C92.10" in codes
    for _, description in results:
        lowered = description.lower()
        assert "chronic" in lowered and "myeloid" in lowered


def test_search_words_match_word_starts() -> None:
    codes = [code for code, _ in search_diagnoses("myelom", limit=100)]
    assert "C90.00" in codes


def test_search_mixes_code_prefix_and_words() -> None:
    results = search_diagnoses("C92 chronic")
    assert results and all(code.startswith("C92") and "chronic" in d.lower() for code, d in results)
    assert ("C92.10", lookup_diagnosis("C92.10").description) in results


def test_search_respects_limit_and_excludes_blocks() -> None:
    results = search_diagnoses("C", limit=7)
    assert len(results) == 7
    assert search_diagnoses("C8", limit=500)[0][0] == "C80"
    assert all("-" not in code for code, _ in search_diagnoses("leukemia", limit=500))


@pytest.mark.parametrize("text", ["", "   ", ",", "zzzzqq"])
def test_search_nothing(text: str) -> None:
    assert search_diagnoses(text) == []


def test_search_zero_limit() -> None:
    assert search_diagnoses("C92", limit=0) == []


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("hematologic malignancies", "hematologic-malignancy"),
        ("Hematologic Malignancy", "hematologic-malignancy"),
        ("CML", "chronic-myeloid-leukemia"),
        ("multiple myeloma", "multiple-myeloma"),
        ("solid tumors", "nonhematologic-malignancy"),
        ("C92.10", "chronic-myeloid-leukemia"),
        ("c9210", "chronic-myeloid-leukemia"),
        ("C50.911", "breast-cancer"),
        ("NSCLC", "non-small-cell-lung-cancer"),
        ("non-small cell lung cancer", "non-small-cell-lung-cancer"),
        ("small cell lung cancer", "small-cell-lung-cancer"),
        ("mCRPC", "prostate-cancer"),
        ("CRC", "colorectal-cancer"),
        ("D46.9", "myelodysplastic-syndrome"),
    ],
)
def test_disease_for_label(label: str, slug: str) -> None:
    assert disease_for_label(label) == slug


def test_code_mapping_to_several_diseases_gives_their_nearest_common_ancestor(tmp_path) -> None:
    import shutil

    from explorer.resources import vocab_dir

    assert lookup_diagnosis("C93.10").diseases == ("myeloid-leukemia",)
    # a taxonomy where myeloid leukemia covers C92 only leaves C93 under two unrelated diseases
    shutil.copytree(vocab_dir(), tmp_path / "vocab")
    diseases = tmp_path / "vocab" / "diseases.ttl"
    diseases.write_text(diseases.read_text(encoding="utf-8").replace(
        "pol:hasCodeRange icd:C92-C94 .",
        'pol:hasCodeRange [ pol:inCodeSystem cs:icd-10-cm ; pol:firstCode "C92" ; pol:lastCode "C92" ] .',
    ), encoding="utf-8")
    assert lookup_diagnosis("C93.10", vocab_dir=tmp_path / "vocab").diseases == ("leukemia", "myeloid-malignancy")
    assert disease_for_label("C93.10", vocab_dir=tmp_path / "vocab") == "hematologic-malignancy"


@pytest.mark.parametrize("label", ["", "no such disease", "Z00.00", "38242"])
def test_disease_for_label_none(label: str) -> None:
    assert disease_for_label(label) is None


@pytest.mark.parametrize("text", ["CML", "cml", "chronic myelogenous", "Chronic Myelocytic", "CML C92.10"])
def test_search_by_a_vocabulary_synonym_finds_the_diseases_codes(text: str) -> None:
    """Issue 14 item 4: the disease vocabulary's names and synonyms find the codes the disease covers."""
    codes = [code for code, _ in search_diagnoses(text, limit=50)]
    assert "C92.10" in codes
    assert all(code.startswith("C92.1") for code in codes)


def test_synonym_search_adds_to_the_description_search() -> None:
    codes = [code for code, _ in search_diagnoses("AML", limit=200)]
    assert {"C92.00", "C93.00"} <= set(codes)          # acute myeloid and acute monoblastic/monocytic leukemia
