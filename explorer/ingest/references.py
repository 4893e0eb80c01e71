"""Numbered references: authors, title, journal, date, volume, issue, pages, PMID, URL, topics.

References follow the NLM citation style: ``Authors. Title. Journal. Date;Volume(Issue):Pages.
PMID n``.  Items start with ``n.``; an item may wrap over lines, and a page break may split it,
leaving a stray bullet (``- `` on the web, ``• `` in PDF text) before its continuation.
"""

from __future__ import annotations

import re
from typing import Any

from explorer.ingest.facts import Reference
from explorer.ingest.text import Document, Line
from explorer.vocab.lexicon import Lexicon

_ITEM = re.compile(r"^\s*(?P<number>\d{1,5})\.\s+\S")
_BULLET = re.compile(r"^\s*[-•▪●]\s+")
_PMID = re.compile(r"\bPMID:?\s*(?P<pmid>\d{1,9})\b")
_URL = re.compile(r"https?://[^\s<>\"]+")
_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_DATE_BLOCK = re.compile(
    r"(?<=[.?!])\s+(?P<date>(?:(?P<month>[A-Z][a-z]{2})[a-z]*(?:-[A-Z][a-z]{2,})?\s+(?:(?P<day>\d{1,2})\s+)?)?"
    r"(?P<year>(?:19|20)\d{2}))"
    r"(?:\s*;\s*(?P<volume>\d+[A-Za-z]?)?\s*(?:\((?P<issue>[^)]{1,20})\))?\s*(?::\s*(?P<pages>[A-Za-z]?\d+[A-Za-z]?"
    r"(?:\s*[-–]\s*[A-Za-z]?\d+[A-Za-z]?)?))?|(?=\s*(?:\.|$)))"
)
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?!\d)")
_PERSON = re.compile(r"(?:[a-z]+\s+)*[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*\s+[A-Z]{1,3}|et al|Jr\.?")


def parse_references(doc: Document, start: int, end: int, lexicon: Lexicon) -> tuple[list[Reference], list[str]]:
    """The references in ``text[start:end]`` and warnings (numbering gaps)."""
    items = _items(doc, start, end)
    refs = [_reference(doc, number, lines, lexicon) for number, lines in items]
    warnings = []
    numbers = [r.number for r in refs]
    if len(set(numbers)) != len(numbers):
        warnings.append("references: duplicate reference numbers")
    for before, after in zip(numbers, numbers[1:], strict=False):
        if after != before + 1:
            warnings.append(f"references: numbering skips from {before} to {after}")
    return refs, warnings


def _items(doc: Document, start: int, end: int) -> list[tuple[int, list[Line]]]:
    items: list[tuple[int, list[Line]]] = []
    gap = False
    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.start < start or line.number in doc.noise:
            continue
        if line.blank:
            gap = True
            continue
        m = _ITEM.match(line.text)
        if m and (not items or int(m.group("number")) > items[-1][0]):
            items.append((int(m.group("number")), [line]))
        elif items and (
            not gap or _BULLET.match(line.text) or line.stripped[:1].islower() or not _complete(items[-1][1])
        ):
            items[-1][1].append(line)
        gap = False
    return items


def _complete(lines: list[Line]) -> bool:
    last = lines[-1].text.rstrip()
    return last.endswith(".") or bool(re.search(r"PMID:?\s*\d+$", last))


def _reference(doc: Document, number: int, lines: list[Line], lexicon: Lexicon) -> Reference:
    first = _ITEM.match(lines[0].text)
    assert first is not None
    skip = [(lines[0].start, lines[0].start + first.end() - 1)]  # "12. "
    for ln in lines[1:]:
        b = _BULLET.match(ln.text)
        if b:
            skip.append((ln.start, ln.start + b.end()))
    norm = doc.norm(lines[0].start, lines[-1].end, skip=tuple(skip))
    text = norm.text
    pmid = _PMID.search(text)
    url = _URL.search(text)
    body = text[: pmid.start()].rstrip() if pmid else text
    authors, rest = _authors(body)
    fields = _citation(rest)
    title = fields.pop("title")
    return Reference(
        number=number,
        text=text,
        span=norm.span(),
        authors=authors,
        title=title,
        pmid=pmid.group("pmid") if pmid else None,
        url=url.group().rstrip(".,;)") if url else None,
        topics=_topics(title or rest, lexicon),
        **fields,
    )


def _authors(body: str) -> tuple[tuple[str, ...], str]:
    """Split ``Authors. Rest``; a list of people is split, an organisation is one author."""
    m = re.search(r"\.\s+", body)
    if m is None:
        return (), body
    head, rest = body[: m.start()], body[m.end() :]
    parts = [p.strip() for p in head.split(",") if p.strip()]
    if parts and all(len(p) <= 60 and _PERSON.fullmatch(p) for p in parts):
        people: list[str] = []
        for p in parts:
            if p.startswith("Jr") and people:
                people[-1] += " Jr"
            elif p != "et al":
                people.append(p)
        return tuple(people), rest
    return (head.strip(),), rest


def _citation(rest: str) -> dict[str, Any]:
    """Title, journal, date, year, volume, issue, pages from what follows the authors."""
    out: dict[str, Any] = {
        "title": None, "journal": None, "date": None, "year": None, "volume": None, "issue": None, "pages": None,
    }
    url = _URL.search(rest)
    block = _DATE_BLOCK.search(rest, 0, url.start() if url else len(rest))
    if block:
        pre = rest[: block.start()].strip()
        is_journal = bool(block.group("month") or block.group("volume"))
        if is_journal:
            cut = [m.end() for m in re.finditer(r"[.?!]\s+", pre.rstrip("."))]
            if cut:
                out["title"] = _title(pre[: cut[-1]])
                out["journal"] = pre[cut[-1] :].rstrip(". ") or None
            else:
                out["journal"] = pre.rstrip(". ") or None
        else:
            out["title"] = _title(pre)
        out["year"] = int(block.group("year"))
        out["date"] = _iso(block.group("year"), block.group("month"), block.group("day"))
        out["volume"] = block.group("volume")
        out["issue"] = block.group("issue")
        out["pages"] = re.sub(r"\s+", "", block.group("pages")) if block.group("pages") else None
    else:
        out["title"] = _title(rest[: url.start()] if url else rest)
        years = _YEAR.findall(rest)
        out["year"] = int(years[0]) if years else None
        out["date"] = years[0] if years else None
    return out


def _title(text: str) -> str | None:
    title = text.strip().rstrip(".;, ").strip()
    return title or None


def _iso(year: str, month: str | None, day: str | None) -> str:
    if not month or month.lower()[:3] not in _MONTHS:
        return year
    iso = f"{year}-{_MONTHS[month.lower()[:3]]:02d}"
    return f"{iso}-{int(day):02d}" if day else iso


def _topics(title: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Disease and topic slugs the title names, sorted (a set, not a sequence)."""
    found = [m.term.slug for m in lexicon.diseases.find(title)] + [m.term.slug for m in lexicon.topics.find(title)]
    return tuple(sorted(set(found)))
