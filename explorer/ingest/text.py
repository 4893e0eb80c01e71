"""The verbatim document and normalised views of its ranges that map back to exact offsets.

Policies come as web text (``**bold**``, ``*italics*``, markdown links, tab tables) or as PDF text
(hard-wrapped lines, words hyphenated across lines, page numbers between paragraphs).  Parsers
match patterns on a :class:`NormText`: a whitespace-collapsed, markup-free copy of a document range
that remembers, for every character, where it came from.  So a match in the clean text becomes a
:class:`~explorer.ingest.facts.Span` whose quote is the exact document slice.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from explorer.ingest.facts import Span
from explorer.ingest.offset_runs import Offsets, RunsBuilder

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_PAGE_NUMBER = re.compile(r"\s*\d{1,3}\s*")


def _furniture_key(text: str) -> str:
    """A line compared as page furniture: digits ignored, whitespace collapsed."""
    return re.sub(r"\d+", "#", " ".join(text.split()))
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class Line:
    """One line of the document: ``text`` excludes the line terminator."""

    number: int  # 1-based
    start: int
    end: int  # offset after the last character of ``text``
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


class Document:
    """The verbatim text of one policy document, split into lines."""

    def __init__(self, text: str, path: str = "<text>") -> None:
        self.text = text
        self.path = path
        lines: list[Line] = []
        for number, match in enumerate(_LINE.finditer(text), start=1):
            if match.start() == match.end():
                break
            body = match.group().rstrip("\r\n")
            lines.append(Line(number, match.start(), match.start() + len(body), body))
        self.lines: tuple[Line, ...] = tuple(lines)
        self._starts = [line.start for line in lines]

    def line_at(self, offset: int) -> int:
        """The 1-based line number holding ``offset``."""
        return max(1, bisect_right(self._starts, offset))

    @cached_property
    def noise(self) -> frozenset[int]:
        """Line numbers of page furniture (PDF text): a lone page number between blank lines, and
        running headers or footers: a line that recurs next to most page numbers (at least two;
        digits ignored, so "Page 3 of 8" matches "Page 4 of 8")."""
        lines = self.lines
        pages: list[int] = []
        for i, line in enumerate(lines):
            if not _PAGE_NUMBER.fullmatch(line.text) or not line.stripped:
                continue
            before = i == 0 or lines[i - 1].blank
            after = i + 1 >= len(lines) or lines[i + 1].blank
            if before and after:
                pages.append(i)
        found = {lines[i].number for i in pages}
        neighbours: dict[str, dict[int, int]] = {}     # key -> {page-number line: neighbour line}
        for i in pages:
            for j in (self._nearest(i, -1), self._nearest(i, 1)):
                if j is not None and len(lines[j].stripped) >= 8:
                    neighbours.setdefault(_furniture_key(lines[j].stripped), {})[i] = j
        needed = max(2, (len(pages) + 1) // 2)          # furniture recurs on most pages, text does not
        for key, by_page in neighbours.items():
            found_at = list(by_page.values())
            if len(by_page) >= needed:
                found.update(lines[j].number for j in found_at)
                found.update(line.number for line in lines[:4] if _furniture_key(line.stripped) == key)
        return frozenset(found)

    def _nearest(self, i: int, step: int, reach: int = 3) -> int | None:
        """The nearest non-blank line within ``reach`` lines of line index ``i`` in direction ``step``."""
        j = i + step
        while 0 <= j < len(self.lines) and abs(j - i) <= reach:
            if not self.lines[j].blank and not _PAGE_NUMBER.fullmatch(self.lines[j].text):
                return j
            j += step
        return None

    def span(self, start: int, end: int) -> Span:
        """A span of the document, trimmed of surrounding whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Span(start, end, self.text[start:end])

    def norm(
        self, start: int, end: int, *, keep_markup: bool = False, skip: tuple[tuple[int, int], ...] = ()
    ) -> NormText:
        """A normalised view of ``text[start:end]`` (see :func:`normalise`)."""
        return normalise(self, start, end, keep_markup=keep_markup, skip=skip)


@dataclass(frozen=True)
class NormText:
    """Clean text with, for every character, its offset in the document."""

    doc: Document
    text: str
    offsets: Offsets  # each character's document offset

    def span(self, i: int = 0, j: int | None = None) -> Span:
        """The document span behind ``text[i:j]`` (trimmed of whitespace at both ends)."""
        j = len(self.text) if j is None else j
        while i < j and self.text[i].isspace():
            i += 1
        while j > i and self.text[j - 1].isspace():
            j -= 1
        if i >= j:
            start = self.offsets[i] if i < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            return Span(start, start, "")
        start, end = self.offsets[i], self.offsets[j - 1] + 1
        return Span(start, end, self.doc.text[start:end])

    def slice(self, i: int, j: int) -> NormText:
        return NormText(self.doc, self.text[i:j], self.offsets[i:j])

    def strip(self) -> NormText:
        i, j = 0, len(self.text)
        while i < j and self.text[i].isspace():
            i += 1
        while j > i and self.text[j - 1].isspace():
            j -= 1
        return self.slice(i, j)

    def __str__(self) -> str:
        return self.text


def normalise(
    doc: Document,
    start: int,
    end: int,
    *,
    keep_markup: bool = False,
    skip: tuple[tuple[int, int], ...] = (),
) -> NormText:
    """Collapse whitespace, join words hyphenated across lines, drop page furniture and markup.

    Ranges in ``skip`` (e.g. bullet markers of continuation lines) are left out.
    Markup removed (unless ``keep_markup``): ``**`` and ``*`` emphasis markers and markdown links
    ``[label](target)`` (the label is kept).  Superscript citation markers are kept; callers that
    want clean prose use :func:`without_superscripts`.

    Each run of whitespace becomes one space at the run's first character (none at the start, nor
    after a space), a line ends in one space at its end unless it ends in a letter and a hyphen.
    A line is taken a stretch at a time (the text between markup and skipped ranges), its
    whitespace collapsed by a regular expression and its offsets kept as runs
    (:mod:`explorer.ingest.offset_runs`); ``tests/ingest/test_normalise.py`` checks it against the
    rule spelled out character by character.
    """
    pieces: list[str] = []  # the clean text, a stretch at a time (never an empty piece)
    runs = RunsBuilder()
    text = doc.text
    noise = doc.noise
    lines = doc.lines
    for index in range(doc.line_at(start) - 1, len(lines)):
        line = lines[index]
        if line.start >= end:
            break
        if line.number in noise:
            continue
        a, b = max(line.start, start), min(line.end, end)
        for x, y in _kept(text, a, b, keep_markup, skip):
            _append(pieces, runs, text[x:y], x)
        # a line break: a word hyphenated at the end of a line joins the next line directly
        if pieces and pieces[-1][-1] == " ":
            _pop(pieces, runs)
        if pieces:
            tail = pieces[-1][-2:] if len(pieces[-1]) > 1 or len(pieces) == 1 else pieces[-2][-1] + pieces[-1]
            if tail[-1] == "-" and len(tail) > 1 and tail[-2].isalpha():
                continue
            pieces.append(" ")
            runs.add(b, 1)
    while pieces and pieces[-1][-1] == " ":
        _pop(pieces, runs)
    return NormText(doc, "".join(pieces), runs.build())


_WHITESPACE = re.compile(r"\s+")
_WIDE_WHITESPACE = re.compile(r"\s\s+")  # one space in the clean text: the offsets jump past the rest


def _append(pieces: list[str], runs: RunsBuilder, stretch: str, offset: int) -> None:
    """Add a stretch of document text (at ``offset``), its whitespace collapsed."""
    if stretch and stretch[0].isspace() and (not pieces or pieces[-1][-1] == " "):
        kept = stretch.lstrip()
        offset += len(stretch) - len(kept)
        stretch = kept
    if not stretch:
        return
    pieces.append(_WHITESPACE.sub(" ", stretch))
    at = 0
    for m in _WIDE_WHITESPACE.finditer(stretch):
        runs.add(offset + at, m.start() + 1 - at)
        at = m.end()
    runs.add(offset + at, len(stretch) - at)


def _pop(pieces: list[str], runs: RunsBuilder) -> None:
    """Take back the clean text's last character."""
    pieces[-1] = pieces[-1][:-1]
    if not pieces[-1]:
        pieces.pop()
    runs.pop()


def _kept(text: str, a: int, b: int, keep_markup: bool, skip: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """The ranges of ``text[a:b]`` that stay: without markdown emphasis, link targets and ``skip``."""
    cut: list[tuple[int, int]] = []
    if not keep_markup:
        body = text[a:b]
        if "[" in body:
            for m in _MARKDOWN_LINK.finditer(body):
                cut += [(a + m.start(), a + m.start() + 1), (a + m.end(1), a + m.end())]  # "[" and "](target)"
        star = body.find("*")
        while star >= 0:
            cut.append((a + star, a + star + 1))
            star = body.find("*", star + 1)
    cut += [(max(x, a), min(y, b)) for x, y in skip if x < b and y > a and x < y]  # an empty range skips nothing
    if not cut:
        return [(a, b)]
    kept, at = [], a
    for x, y in sorted(cut):
        if x > at:
            kept.append((at, x))
        at = max(at, y)
    if at < b:
        kept.append((at, b))
    return kept


def without_superscripts(text: str) -> str:
    """Prose without superscript citation markers."""
    return re.sub(rf"[{SUPERSCRIPT_DIGITS}⁻,]*[{SUPERSCRIPT_DIGITS}]", "", text).strip()


_SENTENCE_END = re.compile(r"(?<=[.?!])[" + SUPERSCRIPT_DIGITS + r"⁻,]*\s+(?=[A-Z(\"“])")
_ABBREVIATIONS = ("eg.", "ie.", "e.g.", "i.e.", "vs.", "al.", "Dr.", "St.", "No.", "approx.")


def sentences(norm: NormText) -> list[tuple[int, int]]:
    """Sentence boundaries ``(i, j)`` in ``norm.text`` (superscript markers stay with their sentence)."""
    out: list[tuple[int, int]] = []
    i = 0
    text = norm.text
    for m in _SENTENCE_END.finditer(text):
        if text[: m.start()].endswith(_ABBREVIATIONS):
            continue
        j = m.start()
        while j < m.end() and not text[j].isspace():
            j += 1
        out.append((i, j))
        i = m.end()
    if i < len(text):
        out.append((i, len(text)))
    return out


def paragraphs(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs of ``text[start:end]`` as document ranges.

    Page furniture is skipped, and a paragraph that stops mid-sentence (no closing punctuation)
    and is followed by one starting in lower case continues into it, as PDF page breaks and some
    web renderings split one paragraph in two.
    """
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.end <= start:
            continue
        if line.blank or line.number in doc.noise:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    merged: list[list[Line]] = []
    for block in blocks:
        if merged:
            prev_text = merged[-1][-1].text.rstrip()
            nxt = block[0].stripped
            if prev_text and prev_text[-1] not in ".?!:;" and nxt[:1].islower():
                merged[-1].extend(block)
                continue
        merged.append(block)
    return [(max(b[0].start, start), min(b[-1].end, end)) for b in merged]
