"""The disease taxonomy mapping: code rules, most-specific choice, and diseases.ttl round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from explorer.diagnoses import lookup_diagnosis
from explorer.diagnoses.mapping import POL, CodeRange, load_taxonomy
from explorer.errors import VocabularyError
from explorer.resources import vocab_dir


def _single_code_literals() -> list[tuple[str, str]]:
    """(disease slug, code) for every code range of one code in diseases.ttl."""
    graph = Graph().parse(vocab_dir() / "diseases.ttl", format="turtle")
    pairs = []
    for disease, node in graph.subject_objects(POL.hasCodeRange):
        first, last = graph.value(node, POL.firstCode), graph.value(node, POL.lastCode)
        if first == last and (node, POL.excludesRange, None) not in graph:
            pairs.append((str(disease).rsplit("/", 1)[-1], str(first)))
    return sorted(pairs)


SINGLE_CODES = _single_code_literals()


def test_taxonomy_has_single_codes() -> None:
    assert len(SINGLE_CODES) >= 15


@pytest.mark.parametrize(("slug", "code"), SINGLE_CODES, ids=[f"{s}-{c}" for s, c in SINGLE_CODES])
def test_every_disease_code_maps_back_to_its_disease(slug: str, code: str) -> None:
    """To the disease itself or a narrower one listing the same code (D47.1: myeloproliferative
    neoplasm, under myeloid malignancy)."""
    diagnosis = lookup_diagnosis(code)
    assert slug in diagnosis.diseases or slug in diagnosis.disease_ancestors


def test_range_rule_compares_categories_inclusively() -> None:
    rule = CodeRange.parse("C81-C96")
    assert rule.matches("C81.90") and rule.matches("C96.Z") and rule.matches("C92.10")
    assert not rule.matches("C80.1") and not rule.matches("C97") and not rule.matches("D46.9")


def test_prefix_rule_matches_descendants_only() -> None:
    rule = CodeRange.parse("C92.1")
    assert rule.matches("C92.1") and rule.matches("C92.10")
    assert not rule.matches("C92") and not rule.matches("C92.20") and not rule.matches("C91.10")


@pytest.mark.parametrize("literal", ["C92-", "C96-C81", "leukemia", "C92.12345", "C9", "C92-C94.1", "C92.1-C93.2"])
def test_malformed_code_literal_is_a_vocabulary_error(literal: str) -> None:
    with pytest.raises(VocabularyError):
        CodeRange.parse(literal)


def test_ancestors_are_nearest_first() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.ancestors("acute-myeloid-leukemia") == (
        "acute-leukemia",
        "myeloid-leukemia",
        "leukemia",
        "myeloid-malignancy",
        "hematologic-malignancy",
        "malignancy",
    )
    assert taxonomy.ancestors("malignancy") == ()


def test_broader_matches_are_dropped() -> None:
    taxonomy = load_taxonomy()
    assert set(taxonomy.matching("C92.10")) == {
        "malignancy",
        "hematologic-malignancy",
        "myeloid-malignancy",
        "leukemia",
        "myeloid-leukemia",
        "chronic-myeloid-leukemia",
    }
    assert taxonomy.most_specific("C92.10") == ("chronic-myeloid-leukemia",)


_PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix pol:  <https://w3id.org/policy-explorer/ontology#> .
@prefix dis:  <https://w3id.org/policy-explorer/vocab/disease/> .
@prefix cs:   <https://w3id.org/policy-explorer/vocab/code-system/> .
"""


def _range(first: str, last: str) -> str:
    return f'[ pol:inCodeSystem cs:icd-10-cm ; pol:firstCode "{first}" ; pol:lastCode "{last}" ]'


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "diseases.ttl").write_text(_PREFIXES + body, encoding="utf-8")
    return tmp_path


def test_two_unrelated_matches_are_both_kept(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        f"""
        dis:a a skos:Concept ; skos:prefLabel "a" ; pol:hasCodeRange {_range("C92", "C92")} .
        dis:b a skos:Concept ; skos:prefLabel "b" ; pol:hasCodeRange {_range("C90", "C95")} .
        """,
    )
    assert load_taxonomy(folder).most_specific("C92.10") == ("a", "b")


def test_cycle_in_taxonomy_is_a_vocabulary_error(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        """
        dis:a a skos:Concept ; skos:prefLabel "a" ; skos:broader dis:b .
        dis:b a skos:Concept ; skos:prefLabel "b" ; rdfs:subClassOf dis:a .
        """,
    )
    with pytest.raises(VocabularyError, match="cycle"):
        load_taxonomy(folder)


def test_malformed_code_in_file_names_the_file(tmp_path: Path) -> None:
    folder = _write(tmp_path, f'dis:a a skos:Concept ; skos:prefLabel "a" ; pol:hasCodeRange {_range("C9", "C9")} .\n')
    with pytest.raises(VocabularyError, match="diseases.ttl"):
        load_taxonomy(folder)


def test_missing_file_is_a_vocabulary_error(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="missing"):
        load_taxonomy(tmp_path)


@pytest.mark.parametrize(("text", "expected"), [
    ("patients with non-small cell lung cancer (NSCLC)", {"non-small-cell-lung-cancer"}),
    ("extensive-stage small cell lung cancer", {"small-cell-lung-cancer"}),
    ("relapsed non-Hodgkin lymphoma", {"non-hodgkin-lymphoma"}),
    ("classical Hodgkin lymphoma", {"hodgkin-lymphoma"}),
    ("metastatic castration-resistant prostate cancer (mCRPC)", {"prostate-cancer"}),
    ("stage II colorectal cancer", {"colorectal-cancer"}),
    ("HPV-driven oropharyngeal cancer", {"oropharyngeal-cancer"}),
])
def test_text_names_the_right_disease_never_its_namesake(text, expected):
    """The longest label wins at each place: "non-small cell lung cancer" is never "small cell lung
    cancer", "non-Hodgkin lymphoma" never "Hodgkin lymphoma"."""
    from explorer.vocab.lexicon import load_lexicon

    assert {m.term.slug for m in load_lexicon().diseases.find(text)} == expected


def test_solid_tumours_sit_under_nonhematologic_malignancy_and_syndromes_outside_malignancy():
    from explorer.diagnoses.mapping import load_taxonomy

    taxonomy = load_taxonomy()
    for slug in ("lung-cancer", "breast-cancer", "colorectal-cancer", "prostate-cancer", "pancreatic-cancer",
                 "melanoma", "oropharyngeal-cancer"):
        assert "nonhematologic-malignancy" in taxonomy.ancestors(slug), slug
    assert "malignancy" not in taxonomy.ancestors("lynch-syndrome")
    assert taxonomy.ancestors("non-small-cell-lung-cancer")[0] == "lung-cancer"
