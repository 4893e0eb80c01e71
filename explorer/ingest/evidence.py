"""Prose facts of the description and summary: reported figures, evidence assessments, citations.

- A figure is a percentage or a range of them ("40% to 60%"), labelled by its sentence.
- An evidence assessment is a summary paragraph "For individuals who ..., the evidence includes
  ... Relevant outcomes are ... The evidence is (in)sufficient ...".
- A citation is a superscript marker (``¹``, ``²⁻⁴``, ``¹,³``) after a sentence.
"""

from __future__ import annotations

import re

from explorer.ingest.facts import Citation, EvidenceAssessment, Figure
from explorer.ingest.text import SUPERSCRIPT_DIGITS, Document, NormText, paragraphs, sentences, without_superscripts

_NUMBER = r"\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?P<low>{_NUMBER})\s?%(?:\s*(?:to|-|–|and)\s*(?P<high>{_NUMBER})\s?%)?"
)
_MARKERS = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+(?:[,⁻][{SUPERSCRIPT_DIGITS}]+)*")
_INCLUDES = re.compile(r"\bthe evidence includes\s+(?P<types>[^.]+)\.", re.IGNORECASE)
_OUTCOMES = re.compile(r"\bRelevant outcomes (?:are|include)\s+(?P<outcomes>[^.]+)\.", re.IGNORECASE)
_CONCLUSION = re.compile(r"\bThe evidence is\s+(?P<conclusion>sufficient|insufficient)\b", re.IGNORECASE)
_WHO = re.compile(r"^For individuals\s+(?P<population>who .+?)\s+who\s+(?P<intervention>receive .+?),", re.IGNORECASE)


def _split_list(text: str) -> tuple[str, ...]:
    parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", text)
    return tuple(p.strip() for p in parts if p.strip())


def parse_figures(doc: Document, start: int, end: int) -> list[Figure]:
    out: list[Figure] = []
    for a, b in paragraphs(doc, start, end):
        norm = doc.norm(a, b)
        for i, j in sentences(norm):
            sentence = norm.slice(i, j)
            label = without_superscripts(sentence.text)
            for m in _FIGURE.finditer(sentence.text):
                low = float(m.group("low"))
                high = float(m.group("high")) if m.group("high") else low
                out.append(Figure(label, low, high, "percent", sentence.span(m.start(), m.end())))
    return out


def parse_evidence(doc: Document, start: int, end: int) -> list[EvidenceAssessment]:
    out: list[EvidenceAssessment] = []
    for a, b in paragraphs(doc, start, end):
        norm = doc.norm(a, b)
        text = norm.text
        includes = _INCLUDES.search(text)
        conclusion = _CONCLUSION.search(text)
        if includes is None or conclusion is None:
            continue
        outcomes = _OUTCOMES.search(text)
        who = _WHO.search(text)
        out.append(
            EvidenceAssessment(
                text=without_superscripts(text),
                conclusion=conclusion.group("conclusion").lower(),
                span=norm.span(),
                population=who.group("population") if who else None,
                intervention=who.group("intervention") if who else None,
                evidence_types=_split_list(includes.group("types")),
                outcomes=_split_list(outcomes.group("outcomes")) if outcomes else (),
            )
        )
    return out


def marker_numbers(marker: str) -> list[int]:
    """``¹`` -> [1]; ``²⁻⁴`` -> [2, 3, 4]; ``¹,³`` -> [1, 3]."""
    digits = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
    out: list[int] = []
    for part in marker.translate(digits).split(","):
        if "⁻" in part:
            lo, _, hi = part.partition("⁻")
            if lo and hi and int(hi) - int(lo) < 100:
                out.extend(range(int(lo), int(hi) + 1))
        elif part:
            out.append(int(part))
    return out


def parse_citations(doc: Document, start: int, end: int) -> list[Citation]:
    out: list[Citation] = []
    for a, b in paragraphs(doc, start, end):
        norm = doc.norm(a, b)
        for i, j in sentences(norm):
            sentence: NormText = norm.slice(i, j)
            for m in _MARKERS.finditer(sentence.text):
                for number in marker_numbers(m.group()):
                    out.append(Citation(number, m.group(), sentence.span(m.start(), m.end()), sentence.span()))
    return out
