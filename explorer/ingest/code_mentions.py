"""Codes a statement or criterion names in prose ("... 0239U is investigational"): mentions, kept
apart from the codes the policy lists in its code tables (``PolicyFacts.code_mentions``).

A token shaped like a code is a mention when its shape is unmistakable (PLA / Category III
``0239U``, HCPCS ``G0452``), when a label precedes it ("CPT 81329", "codes 81162, 81163"), or when
the policy lists it; a plain five-digit number or a bare ``P53`` (the gene) is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from explorer.ingest.facts import Code, CodeMention, Criterion, Statement
from explorer.ingest.generic_codes import _CODE, _system, _valid_icd, code_candidate
from explorer.ingest.text import Document

_LABEL = re.compile(r"(?i)\b(?:CPT|HCPCS|HCPC|PLA|ICD-?10(?:-?CM)?|codes?)\b[^.;]{0,24}$")  # "(CPT code\n81329"


def _is_code(code: str, system: str, labelled: bool) -> bool:
    if system == "CPT":
        return not code.isdigit() or labelled
    if system == "ICD-10-CM":
        return ("." in code or labelled) and _valid_icd(code)
    return True


_GROUP = re.compile(r"[(\[]([^()\[\]]{1,400})[)\]]")
_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|\bor\b|\+)\s*")


def _code_list(text: str, at: int) -> bool:
    """Whether position ``at`` lies in a parenthesis (or brackets) holding nothing but codes
    ("(81206, 81207, 81208)", "(81449)"): the sentence's list of the codes it speaks of."""
    for g in _GROUP.finditer(text, max(0, at - 400), min(len(text), at + 400)):
        if g.start(1) <= at < g.end(1):
            items = [i for i in _SEPARATOR.split(g.group(1).strip()) if i]
            return bool(items) and all(_CODE.fullmatch(i) and _system(i.split("-")[0]) for i in items)
    return False


def mentions_in(doc: Document, start: int, end: int, listed: frozenset[str]) -> list[tuple[str, str, int, int]]:
    """(system, code, start, end) of every code ``text[start:end]`` names in prose."""
    out: list[tuple[str, str, int, int]] = []
    text = doc.text[start:end]
    for m in _CODE.finditer(text):
        before = text[: m.start()]
        found = code_candidate(m, before)
        if found is None:
            continue
        system, first, last = found
        code = first if last is None else f"{first}-{last}"
        labelled = bool(_LABEL.search(before)) or _code_list(text, m.start())
        if code in listed or all(_is_code(c, system, labelled) for c in (first, last) if c):
            out.append((system, code, start + m.start(), start + m.end()))
    return out


def code_mentions(doc: Document, statements: Iterable[Statement], codes: Iterable[Code]) -> tuple[CodeMention, ...]:
    """The codes each statement's sentence and each of its criteria name, once per owner and code,
    in document order (a criterion's codes belong to the criterion, not to its statement too)."""
    listed = frozenset(c.code for c in codes)
    out: list[CodeMention] = []
    for s in statements:
        inner = [c.span for _, c in _walk(s.criteria, ())]
        own = [m for m in mentions_in(doc, s.span.start, s.span.end, listed)
               if not any(sp.start <= m[2] < sp.end for sp in inner)]
        out += _unique(own, s.number, (), doc)
        for path, criterion in _walk(s.criteria, ()):
            nested = [c.span for _, c in _walk(criterion.items, ())]
            found = [m for m in mentions_in(doc, criterion.span.start, criterion.span.end, listed)
                     if not any(sp.start <= m[2] < sp.end for sp in nested)]
            out += _unique(found, s.number, path, doc)
    return tuple(out)


def _walk(criteria: tuple[Criterion, ...], path: tuple[int, ...]) -> Iterable[tuple[tuple[int, ...], Criterion]]:
    for i, c in enumerate(criteria, start=1):
        yield (*path, i), c
        yield from _walk(c.items, (*path, i))


def _unique(found: list[tuple[str, str, int, int]], statement: int, path: tuple[int, ...],
            doc: Document) -> list[CodeMention]:
    seen: dict[tuple[str, str], CodeMention] = {}
    for system, code, a, b in found:
        seen.setdefault((system, code), CodeMention(system, code, doc.span(a, b), statement, path))
    return list(seen.values())
