"""The precomputed ICD-10-CM table answers as simple_icd_10_cm does, and a damaged table is rebuilt."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from explorer.diagnoses.icd_table import IcdTable, icd_table, open_table, table_name


@pytest.fixture(scope="module")
def lib():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm

    return simple_icd_10_cm


SINGLE = ("is_valid_item", "get_description", "get_parent", "get_index", "get_children", "get_descendants",
          "get_ancestors", "is_chapter", "is_block", "is_chapter_or_block", "is_category", "is_subcategory",
          "is_category_or_subcategory", "is_extended_subcategory", "is_leaf")


def _named_twice(codes: list[str]) -> set[str]:
    """Names that are a block and its one category (``B10``, ``C50``, ``H59``)."""
    seen: set[str] = set()
    return {c for c in codes if c in seen or seen.add(c)}


def _sample(lib) -> list[str]:
    codes = lib.get_all_codes(True)
    chosen = random.Random(15).sample(codes, 400)
    twice = sorted(_named_twice(codes))
    assert len(twice) >= 30
    # every kind: chapters, blocks, categories, subcategories, 7th-character extensions, without dots
    children = [c + ".0" for c in twice if c + ".0" in codes]
    return [*chosen, *twice, *children, "2", "C81-C96", "C92", "C92.1", "C92.10", "C9210", "S72.001A", "D47.Z1",
            "Z85.3"]


def test_the_table_answers_as_the_package_does(lib):
    table = icd_table()
    assert table.get_all_codes(True) == lib.get_all_codes(True)
    assert table.get_all_codes(False) == lib.get_all_codes(False)
    for code in _sample(lib):
        for name in SINGLE:
            assert getattr(table, name)(code) == getattr(lib, name)(code), (name, code)


def test_diagnosis_codes_are_the_packages_in_its_order(lib):
    """The search box's candidates: every category, subcategory and extended code as the package
    lists them (block-and-category names twice, with the category's description), whole or from
    one indexed range of dotted names."""
    expected = [
        (c, lib.get_description(c))
        for c in lib.get_all_codes(True)
        if lib.is_category_or_subcategory(c) or lib.is_extended_subcategory(c)
    ]
    table = icd_table()
    assert list(table.diagnosis_codes()) == expected
    assert len(expected) > 90_000
    for prefix in ("C92", "C92.1", "B10", "C7A", "S72.001", "Z8", "C92.99", "Q"):
        assert list(table.diagnosis_codes(prefix)) == [r for r in expected if r[0].startswith(prefix)], prefix


def test_codes_not_in_the_release_are_refused_the_same_way(lib):
    table = icd_table()
    for code in ("C92.99", "XYZ", "", "38242", "C81-C97"):
        assert table.is_valid_item(code) is lib.is_valid_item(code) is False
        with pytest.raises(ValueError):
            table.get_description(code)


def test_a_damaged_or_missing_table_is_rebuilt(tmp_path: Path):
    built = open_table(tmp_path)
    path = tmp_path / table_name()
    assert path.exists() and built.get_description("C92.10").startswith("Chronic myeloid leukemia")
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # garbled
    with pytest.raises(sqlite3.DatabaseError):
        IcdTable(path)
    again = open_table(tmp_path)
    assert again.get_ancestors("C92.10") == ["C92.1", "C92", "C81-C96", "2"]
    assert not list(tmp_path.glob(".building-*"))  # no scratch file left behind


def test_an_unwritable_cache_folder_still_gives_a_table(tmp_path: Path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    table = open_table(blocked / "icd10cm")
    assert table.is_valid_item("C90.00") and table.is_leaf("C90.00")


def test_the_private_folder_of_an_unwritable_cache_is_removed_at_exit(tmp_path: Path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    script = ("import sys; from pathlib import Path; from explorer.diagnoses.icd_table import open_table; "
              "t = open_table(Path(sys.argv[1])); assert t.is_valid_item('C90.00'); print(t.path.parent)")
    done = subprocess.run([sys.executable, "-c", script, str(blocked / "icd10cm")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    private = Path(done.stdout.strip())
    assert private.name.startswith("policy-explorer-icd-")
    assert not private.exists()
