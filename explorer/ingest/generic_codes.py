"""Billing codes in a policy's code tables, whatever the payer's table looks like.

A code of the policy is one printed in a code section (a table, a list, or a table that PDF text
flattened to one cell per line).  Recognised by shape: CPT (``81162``), CPT PLA / MAAA /
Category III (``0239U``, ``0012M``, ``0537T``), HCPCS Level II (``G0452``), ICD-10-CM
(``C50.911``, checked against the code set).  A range (``81162-81167``) is kept as printed.
Numbers that only look like codes are left alone: years and dates, ZIP codes after a state,
phone numbers, page numbers (page furniture is skipped).
"""

from __future__ import annotations

import re

from explorer.ingest.facts import Code
from explorer.ingest.text import Document

_CPT = r"\d{4}[0-9UTMF]"
_HCPCS = r"[A-CEGHJ-MP-V]\d{4}"
_ICD = r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_ANY = rf"(?:{_HCPCS}|{_CPT}|{_ICD})"
_CODE = re.compile(
    rf"(?<![\w/.$,:#<>-])(?P<code>{_ANY})(?:\s*[-–—]\s*(?P<to>{_ANY}))?(?![\w/]|[.,]\d|-\d)"
)
# A table row whose code PDF text glued to the next cell ("81120IDH1  (isocitrate dehydrogenase ...)"):
# a CPT/HCPCS code at the start of a line, then at once a capitalised word or gene symbol.
_GLUED_ROW = re.compile(rf"\s*(?P<code>{_CPT}|{_HCPCS})(?=[A-Z][\w/+-]*[\s(,])")
_STATE_ZIP = re.compile(r"\b[A-Z]{2},?\s*$")
_PHONE_BEFORE = re.compile(r"\(\d{3}\)\s*$|\d{3}[-.]\s*$")


def code_candidate(m: re.Match[str], before: str) -> tuple[str, str, str | None] | None:
    """(system, first, last) of a ``_CODE`` match that may be a code: not a ZIP code after a state,
    not part of a phone number, and a range only within one code system."""
    if _STATE_ZIP.search(before) or _PHONE_BEFORE.search(before):
        return None
    first, last = m.group("code"), m.group("to")
    system = _system(first)
    if system is None or (last is not None and _system(last) != system):
        return None
    return system, first, last


def _system(code: str) -> str | None:
    if re.fullmatch(_CPT, code):
        if code.isdigit() and not 100 <= int(code) <= 99607:
            return None
        return "CPT"
    if re.fullmatch(_HCPCS, code):
        return "HCPCS"
    if re.fullmatch(_ICD, code):
        return "ICD-10-CM"
    return None


def _valid_icd(code: str) -> bool:
    from explorer.diagnoses.icd10cm import is_valid_code

    return is_valid_code(code)


def parse_code_tables(doc: Document, start: int, end: int) -> list[Code]:
    """Codes listed in ``text[start:end]`` (a code section), each with its line as description."""
    out: list[Code] = []
    noise = doc.noise
    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.end <= start or line.number in noise or line.blank:
            continue
        a, b = max(line.start, start), min(line.end, end)
        text = doc.text[a:b]
        glued = _GLUED_ROW.match(text)
        if glued and (system := _system(glued.group("code"))) in ("CPT", "HCPCS"):
            s, e = a + glued.start("code"), a + glued.end("code")
            out.append(Code(system=system, code=glued.group("code"), description="", span=doc.span(s, e)))
        for m in _CODE.finditer(text):
            before = text[: m.start()]
            found = code_candidate(m, before)
            if found is None:
                continue
            system, first, last = found
            if system == "ICD-10-CM" and not all(_valid_icd(c) for c in (first, last) if c):
                continue
            if system == "ICD-10-CM" and _in_a_list_of_names(first, before):
                continue
            code = first if last is None else f"{first}-{last}"
            s, e = a + m.start(), a + m.end()
            out.append(Code(system=system, code=code, description="", span=doc.span(s, e)))
    return _with_descriptions(doc, out, end)


_DESCRIPTION_MAX = 400
_GOES_ON = re.compile(r"[a-z][a-z-]{2,}\b")  # a word in lower case, not letters of a rotated watermark


def _with_descriptions(doc: Document, codes: list[Code], end: int) -> list[Code]:
    """Each code's description: the text after it up to the next code, a blank line or the section's
    end (a description wraps over lines in PDF text: "... when appropriate {clonoSeq}")."""
    from dataclasses import replace

    out = []
    for k, code in enumerate(codes):
        stop = codes[k + 1].span.start if k + 1 < len(codes) else end
        tail = doc.text[code.span.end : max(code.span.end, stop)]
        out.append(replace(code, description=" ".join(_first_paragraph(tail).split())[:_DESCRIPTION_MAX]))
    return out


def _first_paragraph(tail: str) -> str:
    """Text up to the first blank line, unless what follows the blank line goes on with the same
    sentence (it starts in lower case and the text before ends without a full stop or colon): a
    page break inside a table row in PDF text ("... other systematic cancer" / blank / "treatments,
    cell-free DNA ... {RadTox cfDNA test}")."""
    parts = re.split(r"\n[ \t]*\n", tail)
    text = parts[0]
    for part in parts[1:]:
        nxt = part.lstrip()
        if not _GOES_ON.match(nxt) or text.rstrip()[-1:] in ".:;" or not text.strip():
            break
        text += "\n" + part
    return text


_LABEL = re.compile(r"\b(?:CPT|HCPCS|HCPC)\s*®?\s*(?:[Cc]odes?)?\s*[:–—-]?\s*(?=[0-9A-Z]{5}\b)")
_LIST_SEP = re.compile(r"\s*(?:,|;|\+|\band\b|\bor\b)\s*")


def parse_labelled_codes(doc: Document, start: int, end: int) -> list[Code]:
    """Codes a table-like grid inside a policy section lists: a row that starts with a code
    (``0239U 1/1/2021 FoundationOne Liquid CDx``) or a cell labelled with its system
    (``CPT 81381``, ``HCPC: S3852``, ``CPT codes: 81401, 81405``).  Used for families whose
    criteria grids carry the codes (profile ``[codes] in_policy_sections``)."""
    out: list[Code] = []
    text = doc.text
    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.end <= start or line.number in doc.noise or line.blank:
            continue
        a, b = max(line.start, start), min(line.end, end)
        body = text[a:b]
        starts = [m.end() for m in _LABEL.finditer(body) if not _in_running_sentence(text, a, m.start())]
        lead = len(body) - len(body.lstrip())
        if _CODE.match(body, lead) and not _wrapped_into_a_sentence(text, line.start):
            starts.append(lead)  # a row that starts with its code
        elif named := _NAME_ROW.match(body):
            starts.append(named.end())  # a grid row "Afirma 81546": a test's name, then its code
        for pos in starts:
            while True:
                m = _CODE.match(body, pos)
                if m is None:
                    break
                first = m.group("code")
                system = _system(first)
                if system in ("CPT", "HCPCS") and (m.group("to") is None or _system(m.group("to")) == system):
                    code = first if m.group("to") is None else f"{first}-{m.group('to')}"
                    out.append(Code(system=system, code=code, description=" ".join(body[m.end():].split())[:300],
                                    span=doc.span(a + m.start(), a + m.end())))
                sep = _LIST_SEP.match(body, m.end())
                if sep is None or sep.end() == m.end():
                    break
                pos = sep.end()
    return out


_NAME_ROW = re.compile(r"^\s*[A-Z][\w®™-]*(?:\s+[A-Z][\w®™-]*){0,2}\s+(?=[0-9A-Z]{5}\s*$)")
_OPEN_LABEL = re.compile(r"\((?:CPT|HCPCS|HCPC)\b[^()\n]{0,12}\n[ \t]*$", re.IGNORECASE)
_PROSE_BEFORE = re.compile(r"\b[a-z]{3,}\s+(?:\S+\s+){0,2}\($")
_LOWER_AFTER = re.compile(r"\)\s*[,;]?\s*[a-z]")


def _wrapped_into_a_sentence(text: str, line_start: int) -> bool:
    """Whether a line's leading code was wrapped from a label that opens a parenthesis in a running
    sentence ("... the SMN1 gene (CPT code\n81329), as described by ..."): a mention, not a row."""
    if not _OPEN_LABEL.search(text, max(0, line_start - 40), line_start):
        return False
    close = text.find(")", line_start, line_start + 200)
    return close >= 0 and _LOWER_AFTER.match(text, close) is not None


def _in_running_sentence(text: str, line_start: int, label: int) -> bool:
    """Whether a labelled code list is a parenthesis inside a running sentence ("Chromosomal
    microarray testing (CPT 81228, 81229) may be considered ..."): a mention of the codes in
    prose, not a code table's row (``code_mentions`` keeps it)."""
    if not _PROSE_BEFORE.search(text[line_start : line_start + label]):
        return False
    close = text.find(")", line_start + label, line_start + label + 200)
    return close >= 0 and _LOWER_AFTER.match(text, close) is not None



_LIST_NEIGHBOUR = re.compile(r"([\w-]+),\s*(?:and\s+)?$")


def _in_a_list_of_names(code: str, before: str) -> bool:
    """Whether a bare ICD-10-CM category (no decimals) stands in a list of protein or gene names, as
    in a code's description ("CD138, CD38, D19, and CD45"; "HER-2, K20"): the item before it is no code."""
    m = _LIST_NEIGHBOUR.search(before)
    return "." not in code and m is not None and _system(m.group(1)) is None
