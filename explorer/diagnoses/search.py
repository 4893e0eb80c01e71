"""Search ICD-10-CM codes by code prefix, by words of their description, or by a disease's name or
synonym in the vocabulary ("CML", "chronic myelogenous" find the chronic myeloid leukemia codes),
for a search box.

The index of every category, subcategory and code is built once (about half a second) and kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from explorer.diagnoses.icd10cm import icd
from explorer.diagnoses.mapping import load_taxonomy

_CODE_TOKEN = re.compile(r"^[A-Za-z][0-9][0-9A-Za-z]?(?:\.?[0-9A-Za-z]{0,4})$")
_NON_WORD = re.compile(r"[^0-9a-z]+")


class _CodeRule(Protocol):
    """A disease's ICD-10-CM rule in the taxonomy (whatever its shape): does it cover a code?"""

    def matches(self, code: str) -> bool: ...


@dataclass(frozen=True)
class _Index:
    codes: tuple[str, ...]
    keys: tuple[str, ...]  # code without dot
    descriptions: tuple[str, ...]
    words: tuple[str, ...]  # " " + lower-case description with punctuation as spaces
    by_key: tuple[int, ...]  # positions ordered by key, for prefix ranges
    sorted_keys: tuple[str, ...]

    def candidates(self, prefix: str | None) -> list[int]:
        """Positions whose key starts with ``prefix`` (all positions if None), in code order."""
        if prefix is None:
            return list(range(len(self.codes)))
        start = bisect_left(self.sorted_keys, prefix)
        stop = start
        while stop < len(self.sorted_keys) and self.sorted_keys[stop].startswith(prefix):
            stop += 1
        return sorted(self.by_key[start:stop])


@cache
def _index() -> _Index:
    lib = icd()
    codes = tuple(
        c
        for c in lib.get_all_codes(True)
        if lib.is_category_or_subcategory(c) or lib.is_extended_subcategory(c)
    )
    descriptions = tuple(lib.get_description(c) for c in codes)
    keys = tuple(c.replace(".", "") for c in codes)
    by_key = tuple(sorted(range(len(keys)), key=keys.__getitem__))
    return _Index(
        codes,
        keys,
        descriptions,
        tuple(" " + _NON_WORD.sub(" ", d.lower()) for d in descriptions),
        by_key,
        tuple(keys[i] for i in by_key),
    )


def search_diagnoses(text: str, limit: int = 20) -> list[tuple[str, str]]:
    """Up to ``limit`` ``(code, description)`` pairs matching ``text``, in code order.

    Each whitespace-separated token must match: a token shaped like a code (``C92``, ``c92.1``)
    is a code prefix (dot optional); the other tokens are starts of words in the description, or
    all of them starts of words of one name or synonym of a disease in the vocabulary (then the
    codes the disease covers match). Case does not matter.
    """
    tokens = text.split()
    if not tokens or limit <= 0:
        return []
    prefixes = [t.upper().replace(".", "") for t in tokens if _CODE_TOKEN.match(t)]
    words = [
        " " + w for t in tokens if not _CODE_TOKEN.match(t) for w in _NON_WORD.sub(" ", t.lower()).split()
    ]
    if not prefixes and not words:
        return []
    index = _index()
    rules = _disease_rules(tuple(words)) if words else ()
    out: list[tuple[str, str]] = []
    for i in index.candidates(max(prefixes, key=len) if prefixes else None):
        if not all(index.keys[i].startswith(p) for p in prefixes):
            continue
        if words and not all(w in index.words[i] for w in words) and not any(
            r.matches(index.codes[i]) for r in rules
        ):
            continue
        out.append((index.codes[i], index.descriptions[i]))
        if len(out) >= limit:
            break
    return out


@cache
def _disease_rules(words: tuple[str, ...]) -> tuple[_CodeRule, ...]:
    """The code rules of every disease with a name or synonym that has each of ``words`` (" " + a
    lower-case word start) as the start of one of its words."""
    out: list[_CodeRule] = []
    for disease in load_taxonomy().diseases.values():
        names = (disease.label, *disease.synonyms)
        if any(all(w in " " + _NON_WORD.sub(" ", n.lower()) for w in words) for n in names):
            out.extend(disease.rules)
    return tuple(out)
