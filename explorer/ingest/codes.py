"""Code tables (CPT, HCPCS, ICD-10-CM, ICD-10-PCS): code, description, and where each row is.

A table starts at a line naming its code system ("CPT codes:", "ICD-10-CM Diagnosis codes:").  On
the web a row is ``code<TAB>description``; in PDF text the code stands on a line of its own and the
description follows on the next line(s).
"""

from __future__ import annotations

import re

from explorer.ingest.facts import Code
from explorer.ingest.text import Document

_SYSTEM_HEADER = re.compile(
    r"^\s*(?P<system>CPT|HCPCS|ICD-?10-?CM|ICD-?10-?PCS|ICD-?10)(?:\s+(?:diagnosis|procedure))?\s+codes?\s*:",
    re.IGNORECASE,
)
_SHAPES = {
    "CPT": re.compile(r"\d{4}[0-9FTUM]"),
    "HCPCS": re.compile(r"[A-V]\d{4}"),
    "ICD-10-CM": re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"),
    "ICD-10-PCS": re.compile(r"[0-9A-HJ-NP-Z]{7}"),
}
_ROW = re.compile(r"^\s*(?P<code>[0-9A-Z][0-9A-Z.]{3,7})\s*(?:\s*\t|\s*$|\s{2,}|\s(?=[A-Z]))(?P<rest>.*)$")


def system_name(raw: str) -> str:
    key = raw.upper().replace("-", "")
    return {"CPT": "CPT", "HCPCS": "HCPCS", "ICD10CM": "ICD-10-CM", "ICD10PCS": "ICD-10-PCS", "ICD10": "ICD-10-CM"}[key]


def classify(code: str) -> str | None:
    """The code system a code's shape belongs to, or None."""
    for system, shape in _SHAPES.items():
        if shape.fullmatch(code):
            return system
    return None


def parse_codes(doc: Document, start: int, end: int) -> list[Code]:
    """Every code row in ``text[start:end]`` (the coding section)."""
    codes: list[Code] = []
    system: str | None = None
    open_row: tuple[str, str, int, list[str], int] | None = None  # system, code, start, words, end

    def close() -> None:
        nonlocal open_row
        if open_row is not None:
            sys_, code, a, words, b = open_row
            codes.append(Code(sys_, code, " ".join(" ".join(words).split()), doc.span(a, b)))
            open_row = None

    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.number in doc.noise:
            continue
        header = _SYSTEM_HEADER.match(line.text)
        if header:
            close()
            system = system_name(header.group("system"))
            continue
        if line.blank:
            close()
            continue
        row = _ROW.match(line.text)
        code = row.group("code") if row else None
        shape = classify(code) if code else None
        if row and shape and (system is None or shape == system or _compatible(system, shape)):
            close()
            open_row = (system or shape, code or "", line.start, [row.group("rest")], line.end)
        elif open_row is not None:
            sys_, c, a, words, _ = open_row
            open_row = (sys_, c, a, [*words, line.text], line.end)
    close()
    return codes


def _compatible(system: str, shape: str) -> bool:
    # CPT category II/III codes look like HCPCS-less digits; ICD-10-CM codes may be shorter than PCS
    return {system, shape} <= {"CPT", "HCPCS"}
