"""The disease taxonomy's ICD-10-CM code ranges, structured and checked against the official
hierarchy (simple-icd-10-cm), with a test for each range's edges (issue 16, item 2)."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import RDF, Graph, Literal

from explorer.diagnoses import lookup_diagnosis
from explorer.diagnoses.icd10cm import icd
from explorer.diagnoses.mapping import POL, CodeRange, load_taxonomy
from explorer.resources import vocab_dir

RANGES = sorted({str(r): r for d in load_taxonomy().diseases.values() for r in d.rules}.values(), key=str)


@cache
def _categories() -> list[str]:
    """Every category, in the official order (one walk over the ~98,000 codes, once a session: it was
    walked again for each range of categories)."""
    lib = icd()
    # a one-category block ("C50" breast, "C7A") shares its name with the category: list each once
    return list(dict.fromkeys(c for c in lib.get_all_codes(True) if lib.is_category(c)))


@cache
def _level(code: str) -> list[str]:
    """The codes at ``code``'s level, in the official order: every category, or a category's
    subcategories."""
    lib = icd()
    if lib.is_category(code):
        return _categories()
    return list(lib.get_children(lib.get_parent(code)))


def _neighbours(r: CodeRange) -> tuple[str | None, str | None]:
    level = _level(r.first)
    i, j = level.index(r.first), level.index(r.last)
    return (level[i - 1] if i > 0 else None), (level[j + 1] if j + 1 < len(level) else None)


def test_every_range_is_structured_in_the_vocabulary() -> None:
    graph = Graph().parse(vocab_dir() / "diseases.ttl", format="turtle")
    assert (None, POL.icd10cmCode, None) not in graph  # no string ranges left
    nodes = set(graph.objects(None, POL.hasCodeRange)) | set(graph.objects(None, POL.excludesRange))
    assert nodes and all((n, RDF.type, POL.CodeRange) in graph for n in nodes)
    assert all(isinstance(graph.value(n, POL.firstCode), Literal) for n in nodes)


@pytest.mark.parametrize("code_range", RANGES, ids=str)
def test_range_ends_are_official_codes_at_one_level(code_range: CodeRange) -> None:
    lib = icd()
    for code in (code_range.first, code_range.last):
        assert lib.is_valid_item(code) and lib.is_category_or_subcategory(code), code
    assert lib.get_parent(code_range.first) == lib.get_parent(code_range.last) or (
        lib.is_category(code_range.first) and lib.is_category(code_range.last)
    )
    level = _level(code_range.first)
    assert level.index(code_range.first) <= level.index(code_range.last)


@pytest.mark.parametrize("code_range", RANGES, ids=str)
def test_range_edges(code_range: CodeRange) -> None:
    """Its first and last codes and their descendants are in; the codes just outside are not."""
    lib = icd()
    for end in (code_range.first, code_range.last):
        inside = [end, *lib.get_descendants(end)]
        inside = [c for c in inside if not any(x.matches(c) for x in code_range.excluded)]
        assert all(code_range.matches(c) for c in inside), end
    before, after = _neighbours(code_range)
    for outside in (before, after):
        if outside is not None:
            assert not code_range.matches(outside), outside
            assert not any(code_range.matches(c) for c in lib.get_descendants(outside)), outside


@pytest.mark.parametrize("code_range", [r for r in RANGES if r.excluded], ids=str)
def test_excluded_ranges_lie_inside_and_are_left_out(code_range: CodeRange) -> None:
    lib = icd()
    for excluded in code_range.excluded:
        bare = CodeRange(code_range.first, code_range.last)
        assert bare.matches(excluded.first) and bare.matches(excluded.last)
        for code in [excluded.first, *lib.get_descendants(excluded.first)]:
            assert not code_range.matches(code), code


def test_the_ranges_match_exactly_the_official_codes_they_name() -> None:
    """Every official code D45-D48 is placed as the vocabulary says, by the hierarchy."""
    lib = icd()
    d47 = [c for c in lib.get_all_codes(True) if c.startswith(("D45", "D46", "D47"))]
    taxonomy = load_taxonomy()
    for code in d47:
        found = set(taxonomy.most_specific(code))
        found |= set(taxonomy.ancestors_of(tuple(found)))
        if code.startswith(("D47.2", "D47.Z2")):
            assert found == set(), code
        elif code.startswith(("D45", "D46", "D47.1", "D47.3", "D47.4")):
            assert "myeloid-malignancy" in found, code
        elif code.startswith("D47.Z1"):
            assert "lymphoid-malignancy" in found and "myeloid-malignancy" not in found, code
        else:  # D47, D47.0-, D47.9, D47.Z, D47.Z9: hematologic, lineage not said
            assert "myeloid-malignancy" not in found and "lymphoid-malignancy" not in found, code
            assert "hematologic-malignancy" in found or code in ("D47", "D47.Z"), code


def test_ptld_is_lymphoid_not_myeloid() -> None:
    diagnosis = lookup_diagnosis("D47.Z1")
    assert diagnosis.diseases == ("lymphoid-malignancy",)
    assert "myeloid-malignancy" not in diagnosis.disease_ancestors


def test_monoclonal_gammopathy_is_not_a_malignancy() -> None:
    diagnosis = lookup_diagnosis("D47.2")
    assert diagnosis.diseases == () and diagnosis.disease_ancestors == ()


def test_myeloid_codes_stay_myeloid() -> None:
    for code in ("D45", "D46.9", "D47.1", "D47.3", "D47.4", "C92.10", "C93.10", "C94.40"):
        diagnosis = lookup_diagnosis(code)
        assert "myeloid-malignancy" in diagnosis.diseases + diagnosis.disease_ancestors, code
