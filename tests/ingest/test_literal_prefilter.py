"""The required-literal filter (explorer/ingest/literal_prefilter.py) never skips a pattern that matches.

It is checked with every pattern the profiles name for detection and header dates, on every
bundled document, and with case-insensitive patterns on text holding the characters where
``str.lower`` and ``re``'s case-insensitive match part ways (``ſ`` ``ı`` ``İ``, the Kelvin sign).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.ingest.literal_prefilter import Haystack, required_literal
from explorer.ingest.profiles import load_profiles


def _profile_patterns() -> list[re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for profile in load_profiles():
        found |= {p.pattern: p for p in profile.detect}
        for labels in profile.dates.values():
            found |= {p.pattern: p for p in labels}
    return list(found.values())


@pytest.mark.parametrize(("pattern", "literal"), [
    (r"(?i)\b(?:Current Policy |Annual |Policy )?Effective (?:Policy )?Date(?: of this Version)?\b", "Effective "),
    (r"(?i)carelon\.com", "carelon.com"),
    (r"(?i)\bNext (?:Annual )?Review (?:Due By|Date)\b", "Review D"),  # re factors the alternatives' "D" out
    (r"HUM-\d{4}", "HUM-"),
    (r"ab(?i:cdef)", "ab"),       # a group with flags of its own ends the run
    (r"a{3}bc", "bc"),
    (r"(?i)\u00e9t\u00e9", None),  # case-insensitive beyond ASCII: not filtered
    (r"[abc]+", None),
])
def test_the_required_literal_is_the_longest_run_every_match_holds(pattern: str, literal: str | None) -> None:
    assert required_literal(re.compile(pattern)) == literal


def test_profile_patterns_are_skipped_only_where_they_do_not_match(bundled_dir: Path) -> None:
    patterns = _profile_patterns()
    assert len(patterns) > 50
    assert sum(required_literal(p) is not None for p in patterns) > 0.9 * len(patterns)
    skipped = 0
    for path in sorted(bundled_dir.glob("*.txt")):
        text = Haystack(path.read_text(encoding="utf-8")[:100_000])
        for pattern in patterns:
            if not text.may_match(pattern):
                skipped += 1
                assert pattern.search(text.text) is None, (path.name, pattern.pattern)
    assert skipped > 800  # the filter does skip: most labels are absent from most documents


@pytest.mark.parametrize("text", [
    "Ne\u017ft Review Date: 01/02/2025",       # ſ matches s case-insensitively
    "Last Rev\u0131ewed 2025",                  # dotless ı matches i
    "\u0130ssued Date 2025",                    # İ lower-cases to two characters
    "Date of Orig\u0130n",
    "\u212aaiser",                              # the Kelvin sign lower-cases to k
    "LAST REVIEWED",
])
def test_case_insensitive_patterns_are_not_skipped_where_unicode_case_folding_matches(text: str) -> None:
    for pattern in [*_profile_patterns(), re.compile(r"(?i)kaiser"), re.compile(r"(?i)issued")]:
        if pattern.search(text):
            assert Haystack(text).may_match(pattern), (text, pattern.pattern)


def test_a_case_sensitive_literal_is_looked_up_as_written() -> None:
    text = Haystack("molina clinical policy")
    assert not text.may_match(re.compile("Molina Clinical Policy"))
    assert text.may_match(re.compile("(?i)Molina Clinical Policy"))


def test_finditer_gives_the_matches_re_gives_on_every_bundled_document(bundled_dir: Path) -> None:
    patterns = list({label.pattern: label for profile in load_profiles()
                     for labels in profile.dates.values() for label in labels}.values())
    anchored = 0
    for path in sorted(bundled_dir.glob("*.txt")):
        text = Haystack(path.read_text(encoding="utf-8")[:100_000])
        for pattern in patterns:
            got = [m.span() for m in text.finditer(pattern)]
            assert got == [m.span() for m in pattern.finditer(text.text)], (path.name, pattern.pattern)
            anchored += bool(got)
    assert anchored > 50


@pytest.mark.parametrize("text", [
    "Effective Date 01/02/2025. Policy Effective Policy Date: 2025; Annual Effective Date of this Version",
    "xEffective Date, Effective Datex, EFFECTIVE DATE, Current Policy Effective Date\nEffective Date",
    "Ne\u017ft Review Date; Next Review Date; next annual review due by; \u0130 Next Review Date",
    "Original Policy Date Original Effective Date OriginalPolicy Date",
])
def test_finditer_gives_the_matches_re_gives_where_matches_overlap_and_case_differs(text: str) -> None:
    for pattern in [*_profile_patterns(), re.compile(r"(?i)\b(?:\w+ ){0,2}Date\b"), re.compile(r"^Effective", re.M)]:
        assert [m.span() for m in Haystack(text).finditer(pattern)] == [m.span() for m in pattern.finditer(text)]
