"""The policy's identity: payer, title, policy number, BCBSA reference, NCD/LCD, related policies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.errors import PolicyParseError
from explorer.ingest.facts import Section, Span
from explorer.ingest.layout import body_start
from explorer.ingest.text import Document
from explorer.vocab.lexicon import Lexicon

_NUMBER = re.compile(r"^\s*Policy\s+(?:Number|No\.?|#)\s*:\s*(?P<value>[\w.\-]+)", re.IGNORECASE | re.MULTILINE)
_BCBSA = re.compile(r"^\s*BCBSA\s+Reference\s+Number\s*:\s*(?P<value>[\w.\-]+)", re.IGNORECASE | re.MULTILINE)
_NCD = re.compile(r"^\s*NCD\s*/\s*LCD\s*:\s*(?P<value>[^\r\n]*?)\s*$", re.IGNORECASE | re.MULTILINE)
_LICENSEE = re.compile(
    r"^\s*(?P<payer>[A-Z][^\r\n]*?)\s+is\s+an\s+Independent\s+Licensee", re.IGNORECASE | re.MULTILINE
)
_TITLE_AFTER = re.compile(r"^\s*Medical\s+Policy\s*$", re.IGNORECASE | re.MULTILINE)
_NONE = {"", "none", "n/a", "na", "not applicable"}


@dataclass(frozen=True)
class Header:
    payer: str
    number: str
    title: str
    title_span: Span
    bcbsa_reference: str | None
    ncd_lcd: str | None
    related_policies: tuple[str, ...]


def parse_header(doc: Document, sections: dict[str, Section], lexicon: Lexicon) -> Header:
    """Identity fields; a document without a policy number or title is not a policy."""
    head_end = sections["policy"].start if "policy" in sections else len(doc.text)
    head = doc.text[:head_end]
    number = _NUMBER.search(head)
    if number is None:
        raise PolicyParseError(
            "no 'Policy Number:' line before the policy section: not a medical policy in a known format",
            path=doc.path,
            line=1,
            section="header",
        )
    title = _title(doc, head)
    if title is None:
        raise PolicyParseError(
            "no policy title (the line after 'Medical Policy')",
            path=doc.path,
            line=doc.line_at(number.start("value")),
            section="header",
        )
    return Header(
        payer=_payer(head, lexicon),
        number=number.group("value"),
        title=title[0],
        title_span=title[1],
        bcbsa_reference=_value(_BCBSA, head),
        ncd_lcd=_value(_NCD, head),
        related_policies=_related(doc, sections.get("related-policies")),
    )


def _value(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    if m is None or m.group("value").strip().lower() in _NONE:
        return None
    return m.group("value").strip()


def _payer(head: str, lexicon: Lexicon) -> str:
    m = _LICENSEE.search(head)
    if m is not None:
        name = " ".join(m.group("payer").split())
        term = lexicon.payers.lookup(name)
        return term.label if term else name
    for match in lexicon.payers.find(" ".join(head.split())):
        return match.term.label
    return "Unknown payer"


def _title(doc: Document, head: str) -> tuple[str, Span] | None:
    """The paragraph after the 'Medical Policy' line (PDF text may wrap it over lines)."""
    m = _TITLE_AFTER.search(head)
    if m is None:
        return None
    first = doc.line_at(m.end()) + 1
    lines = [ln for ln in doc.lines[first - 1 :] if ln.start < len(head)]
    start = next((i for i, ln in enumerate(lines) if not ln.blank), None)
    if start is None:
        return None
    para = []
    for ln in lines[start:]:
        if ln.blank:
            break
        para.append(ln)
    span = doc.span(para[0].start, para[-1].end)
    norm = doc.norm(span.start, span.end)
    if not norm.text or re.match(r"(?i)table of contents|policy number", norm.text):
        return None
    return norm.text, span


def _related(doc: Document, section: Section | None) -> tuple[str, ...]:
    if section is None:
        return ()
    out = []
    for line in doc.lines[doc.line_at(body_start(doc, section)) - 1 :]:
        if line.start >= section.end:
            break
        text = line.stripped.lstrip("-•").strip()
        if text and text.lower() not in _NONE:
            out.append(" ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).split()))
    return tuple(out)
