"""Search ICD-10-CM codes by code prefix, by words of their description, or by a disease's name or
synonym in the vocabulary ("CML", "chronic myelogenous" find the chronic myeloid leukemia codes),
for a search box.

A search with a code-shaped token reads one indexed range of the ICD-10-CM table (no index is
built: the coverage page's first render searches its default code); a search by words alone builds
the word index of every category, subcategory and code once, from one scan of the table (0.3 s;
it was 6-7 s through the package-shaped lookups, one per code and question), and keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
    """Every diagnosis code in tabular order, with its description and its words."""

    codes: tuple[str, ...]
    descriptions: tuple[str, ...]
    words: tuple[str, ...]  # " " + lower-case description with punctuation as spaces


@cache
def _index() -> _Index:
    rows = tuple(icd().diagnosis_codes())
    return _Index(
        tuple(c for c, _ in rows),
        tuple(d for _, d in rows),
        tuple(_words_of(d) for _, d in rows),
    )


def _words_of(description: str) -> str:
    return " " + _NON_WORD.sub(" ", description.lower())


def _dotted(prefix: str) -> str:
    """A code prefix without its dot (``C921``) as the start of dotted names (``C92.1``)."""
    return prefix if len(prefix) <= 3 else f"{prefix[:3]}.{prefix[3:]}"


def _candidates(prefixes: list[str]) -> Iterator[tuple[str, str, str | None]]:
    """``(code, description, words or None)`` in code order: the codes whose key (code without its
    dot) starts with the longest prefix, read from the table, or every code from the word index."""
    if prefixes:
        for code, description in icd().diagnosis_codes(_dotted(max(prefixes, key=len))):
            yield code, description, None
        return
    index = _index()
    yield from zip(index.codes, index.descriptions, index.words, strict=True)


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
    rules = _disease_rules(tuple(words)) if words else ()
    out: list[tuple[str, str]] = []
    for code, description, known_words in _candidates(prefixes):
        key = code.replace(".", "")
        if not all(key.startswith(p) for p in prefixes):
            continue
        if words:
            described = known_words if known_words is not None else _words_of(description)
            if not all(w in described for w in words) and not any(r.matches(code) for r in rules):
                continue
        out.append((code, description))
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
