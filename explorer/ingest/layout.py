"""The section layout of a Blue Cross Blue Shield medical policy, and splitting a document by it.

The layout is the publisher's format, shared by all of its policies (web page and PDF alike): a
section starts at a line that is exactly one of the headings below.  Nothing here is specific to
one policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.ingest.facts import Section
from explorer.ingest.text import Document


@dataclass(frozen=True)
class SectionKind:
    name: str
    pattern: re.Pattern[str]
    required: bool = False


def _heading(regex: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{regex})", re.IGNORECASE)


SECTION_KINDS: tuple[SectionKind, ...] = (
    SectionKind("contents", _heading(r"Table of Contents")),
    SectionKind("related-policies", _heading(r"Related Polic(?:y|ies)")),
    SectionKind("policy", _heading(r"Policy|Policy Statements?"), required=True),
    SectionKind("prior-authorization", _heading(r"Prior Authori[sz]ation Information")),
    SectionKind("coding", _heading(r"(?:CPT|HCPCS|ICD)[\w\- ]*Codes?(?:\s*/\s*[\w\- ]*Codes?)*")),
    SectionKind("description", _heading(r"Description|Background")),
    SectionKind("summary", _heading(r"Summary(?: of Evidence)?")),
    SectionKind("policy-history", _heading(r"Policy History")),
    SectionKind("information", _heading(r"Information Pertaining to All .*Polic(?:y|ies)")),
    SectionKind("references", _heading(r"References")),
    SectionKind("endnotes", _heading(r"Endnotes|Appendix")),
)

# Sub-headings inside the coding section (e.g. "CPT Codes") are not new sections.
_SUBHEADING_OF = {"coding": "coding"}


def section_kind(line_text: str) -> SectionKind | None:
    """The section a heading line opens, or None if the line is not a heading."""
    text = line_text.strip().rstrip(":").strip()
    if not text or len(text) > 80:
        return None
    for kind in SECTION_KINDS:
        if kind.pattern.fullmatch(text):
            return kind
    return None


def split_sections(doc: Document) -> tuple[Section, ...]:
    """Sections in document order; text before the first heading is the ``header`` section.

    A heading must stand alone on its line after a blank line (or at the top).  A heading of a
    kind already open (``CPT Codes`` inside ``CPT Codes / HCPCS Codes / ICD Codes``) stays inside
    it; a second ``Policy`` heading is ignored once the policy section has closed, as are
    headings inside the table of contents.
    """
    found: list[tuple[str, int, str]] = [("header", 0, "")]
    seen: set[str] = set()
    lines = doc.lines
    for i, line in enumerate(lines):
        kind = section_kind(line.text)
        if kind is None:
            continue
        if i > 0 and not lines[i - 1].blank:
            continue
        current = found[-1][0]
        if kind.name == current or kind.name in seen:
            continue
        found.append((kind.name, line.start, line.text.strip()))
        seen.add(kind.name)
    sections: list[Section] = []
    for k, (name, start, heading) in enumerate(found):
        end = found[k + 1][1] if k + 1 < len(found) else len(doc.text)
        sections.append(Section(name=name, heading=heading, start=start, end=end))
    return tuple(s for s in sections if s.name != "header" or s.end > s.start)


def body_start(doc: Document, section: Section) -> int:
    """Offset just after the section's heading line."""
    if not section.heading:
        return section.start
    line = doc.lines[doc.line_at(section.start) - 1]
    nxt = line.number  # index of the following line
    return doc.lines[nxt].start if nxt < len(doc.lines) else section.end
