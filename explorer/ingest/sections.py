"""Sections of any payer's policy: headings found by their shape and the profile's heading lexicon.

Two ways a heading shows in crawled text:

- on a line of its own (PDF text and most web pages), maybe numbered (``IV.``, ``2.``) and
  ending in a colon, with or without blank lines around it;
- inline, in web pages flattened to one line, where the family profile gives the heading with
  the words that follow it (``Policy(?= Application of coverage criteria)``).

Lines of page furniture (running headers and footers, page numbers) and table-of-contents lines
are never headings.  Nothing here rewrites the text: sections are offset ranges of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from explorer.ingest.profiles import Profile
from explorer.ingest.status_phrases import load_status_phrases
from explorer.ingest.text import Document

_ENUMERATOR = re.compile(r"^(?:[IVX]{1,5}|[A-Z]|\d{1,2})[.)]\s+")
_MARKUP = re.compile(r"^[#*\s]+|[*\s]+$")
_TOC_LINE = re.compile(r"\.{4,}|…{2,}|\s\d{1,3}\s*$")
_PAGE_LINE = re.compile(r"(?i)^\s*(?:page\s*:?\s*)?\d{1,4}\s*(?:of\s*\d{1,4})?\s*$|page\s*:?\s*\d{1,4}\s+of\s+\d{1,4}")
_MAX_HEADING = 90


class LaidOutDocument(Document):
    """A document whose page furniture also includes lines repeated on many pages.

    Crawled PDF text repeats running headers and footers (``Page 3 of 18``, the payer's address,
    the policy's title) on every page, often without blank lines around them.  A line of eight
    or more characters that recurs at least three times (digits ignored) is furniture, as is any
    line that is only a page number or ``Page N of M``.  A heading the profile knows is never
    furniture, however often it recurs (Geisinger repeats ``INDICATIONS:`` per test), and neither is
    a line that states a coverage status (Kaiser's grid repeats "This is not covered per MCG").
    """

    def __init__(self, text: str, path: str = "<text>", profile: Profile | None = None) -> None:
        super().__init__(text, path)
        self.profile = profile

    def _is_heading(self, text: str) -> bool:
        return self.profile is not None and self.profile.heading_kind(heading_text(text)) is not None

    @cached_property
    def noise(self) -> frozenset[int]:
        base = set(super().noise)
        where: dict[str, list[int]] = {}
        keys: dict[int, str] = {}   # line number -> its furniture key (lines that may be furniture)
        page_lines: set[int] = set()
        for line in self.lines:
            text = line.stripped
            if _PAGE_LINE.search(text):
                page_lines.add(line.number)
            if len(text) >= 8 and _letters(text, 4):
                keys[line.number] = key = _key(text)
                where.setdefault(key, []).append(line.number)
        anchors = [line.number for line in self.lines if line.number in page_lines or "\f" in line.text]
        recurring = {key for key, numbers in where.items() if _page_spaced(numbers) and _near_pages(numbers, anchors)}
        for line in self.lines:
            text = line.stripped
            if not text:
                continue
            if line.number in page_lines or (
                keys.get(line.number) in recurring   # (a line of fewer letters has no key that recurs)
                and not _is_list_item(text)
                and not self._is_heading(text)
                and not load_status_phrases().mentions_any(text)
            ):
                base.add(line.number)
        return frozenset(base)


_MIN_PAGE_LINES = 20  # furniture recurs once a page; rows of a table with one description recur line after line


_NEAR_PAGE = 4  # lines between a running header/footer and the page number or page break it sits by


def _near_pages(numbers: list[int], anchors: list[int]) -> bool:
    """Where the text shows its page breaks (page numbers, form feeds), furniture sits next to them:
    most occurrences within a few lines of one.  A phrase that recurs mid-page ("tumors may be
    considered") is text."""
    if not anchors:
        return True
    from bisect import bisect_left

    def near(n: int) -> bool:
        i = bisect_left(anchors, n)
        return any(abs(anchors[j] - n) <= _NEAR_PAGE for j in (i - 1, i) if 0 <= j < len(anchors))

    return sum(map(near, numbers)) * 5 >= len(numbers) * 3


def _page_spaced(numbers: list[int]) -> bool:
    """Whether a line recurs at least three times, typically a page apart."""
    if len(numbers) < 3:
        return False
    gaps = sorted(b - a for a, b in zip(numbers, numbers[1:], strict=False))
    return gaps[len(gaps) // 2] >= _MIN_PAGE_LINES


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()))


_DIGITS = re.compile(r"\d+")


def _letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters (it stops counting there)."""
    for c in text:
        if c.isalpha():
            n -= 1
            if not n:
                return True
    return n <= 0


def _is_list_item(text: str) -> bool:
    """Short recurring lines that are content, not furniture (``OR``, ``- AND -``, table labels)."""
    return len(text) < 12 and text.strip("-• ").upper() in {"OR", "AND", "AND/OR", "N/A", "NONE"}


@dataclass(frozen=True)
class Block:
    """One section: its kind, the heading as printed, and offsets (heading start, body start, end)."""

    kind: str
    heading: str
    start: int
    body: int
    end: int
    inline: bool = False


def heading_text(line: str) -> str:
    """A line as a heading candidate: enumerator, markup and trailing colon removed."""
    text = _MARKUP.sub("", line.strip())
    text = _ENUMERATOR.sub("", text)
    return text.strip().rstrip(":").strip()


_PROSE_LINE = 40  # characters: a line this long that stops mid-sentence wraps on to the next
_FUNCTION_WORD_END = re.compile(r"(?i)\b(?:in|of|the|to|and|or|for|with|a|an|by|under|per|see|than)\s*$")


def _inside_a_sentence(lines: tuple, i: int, noise: frozenset[int]) -> bool:
    """Heading words that wrap inside a sentence or a table cell ("... outlined in / Coverage
    Limitations / section"): the line before ends on a function word, or the next starts in
    lower case, or the line itself does and ends the sentence the line before began ("... based on
    specific and well-established / clinical indications")."""
    before = lines[i - 1].stripped if i > 0 else ""
    after = next((ln.stripped for ln in lines[i + 1 : i + 4] if ln.stripped and ln.number not in noise), "")
    tail = (lines[i].stripped[:1].islower() and len(before) >= _PROSE_LINE
            and not before.endswith((".", ":", ";", "?", "!")))
    return bool(_FUNCTION_WORD_END.search(before)) or after[:1].islower() or tail


def find_sections(doc: Document, profile: Profile) -> list[Block]:
    """Sections in document order (headings by line shape, then the profile's inline headings)."""
    starts: list[tuple[int, int, str, str, bool]] = []  # (start, body start, kind, heading, inline)
    noise = doc.noise
    lines = doc.lines
    for i, line in enumerate(lines):
        raw = line.stripped
        if not raw or len(raw) > _MAX_HEADING or line.number in noise or _TOC_LINE.search(raw):
            continue
        kind = profile.heading_kind(heading_text(raw))
        if kind is not None and not _inside_a_sentence(lines, i, noise):
            starts.append((line.start, line.end, kind, raw, False))
    for kind, patterns in profile.inline.items():
        for pattern in patterns:
            for m in pattern.finditer(doc.text):
                starts.append((m.start(), m.end(), kind, m.group(), True))
    starts.sort()
    blocks: list[Block] = []
    for k, (start, body, kind, heading, inline) in enumerate(starts):
        if blocks and start < blocks[-1].body:
            continue  # a heading inside another heading's text
        end = next((s for s, *_ in starts[k + 1 :] if s >= body), len(doc.text))
        blocks.append(Block(kind, heading, start, body, end, inline))
    return _criteria_after_references(doc, _inline_code_runs(doc, _absorb_subheadings(doc, blocks)))


_CODE_RUN = re.compile(
    r"(?:[\s,;:]|\band\b|\bor\b)*(?:(?:\d{4}[0-9A-Z]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)"
    r"(?:\s*[-–]\s*(?:\d{4}[0-9A-Z]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?))?(?:[\s,;]|\band\b|\bor\b)*)+"
)


def _inline_code_runs(doc: Document, blocks: list[Block]) -> list[Block]:
    """In one-line web text, an inline code heading (``Procedure Codes 0005U, 0019U ...``) holds only
    the run of codes after it; the prose that follows goes on with the section before it."""
    out: list[Block] = []
    for block in blocks:
        if block.kind != "coding" or not block.inline:
            out.append(block)
            continue
        m = _CODE_RUN.match(doc.text, block.body, block.end)
        if m is None or not doc.text[block.body : m.end()].strip():
            out.append(block)
            continue
        cut = m.end()
        out.append(Block("coding", block.heading, block.start, block.body, cut, True))
        before = next((b for b in reversed(out[:-1]) if b.kind != "coding"), None)
        if before is not None and doc.text[cut : block.end].strip():
            out.append(Block(before.kind, "", cut, cut, block.end, True))
    return out


def _absorb_subheadings(doc: Document, blocks: list[Block]) -> list[Block]:
    """A heading followed at once by another runs over it: ``Criteria`` / ``Introduction`` is one
    policy section; a history heading followed by its table's column headers (``Policy``,
    ``Effective Date``) is one history section."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind != "other"
            and (block.kind == "other" or prev.kind in ("history", "coding"))
            and not doc.text[prev.body : prev.end].strip()
        ):
            out[-1] = Block(prev.kind, prev.heading, prev.start, prev.body, block.end)
            continue
        out.append(block)
    return out


_DECIDES = re.compile(r"\b(?:(?:is|are)\s+(?:not\s+)?(?:considered|covered)|will\s+(?:not\s+)?cover)\b", re.IGNORECASE)
_REF_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_ENTRY_END = re.compile(r"(?:[.)]|https?://\S+|\S+/\S*)\s*$")
_SENTENCE_END = re.compile(r"[.;:](?:\s|$)")
_SENTENCE_MAX = 600


def _criteria_after_references(doc: Document, blocks: list[Block]) -> list[Block]:
    """A "References:" list inside a criteria grid (Kaiser WA's cell for spinal muscular atrophy)
    ends where the criteria go on: at a line that starts a sentence deciding coverage ("... is
    considered medically necessary ...", "Kaiser Permanente will cover ...") with no year in it.
    The rest is a policy section again."""
    out: list[Block] = []
    for block in blocks:
        cut = None
        if block.kind == "references" and out and out[-1].kind == "policy":
            cut = _first_decision(doc, block)
        if cut is None:
            out.append(block)
            continue
        out.append(Block(block.kind, block.heading, block.start, block.body, cut, block.inline))
        out.append(Block("policy", "", cut, cut, block.end, block.inline))
    return out


def _first_decision(doc: Document, block: Block) -> int | None:
    phrases = load_status_phrases()
    entry_ended = False
    seen_entry = False
    for line in doc.lines[doc.line_at(block.body) - 1 :]:
        if line.start >= block.end:
            break
        if line.end <= block.body or line.number in doc.noise:
            continue
        if line.blank:
            entry_ended = True
            continue
        text = line.stripped
        if seen_entry and entry_ended and text[:1].isupper():
            tail = doc.text[line.start : min(block.end, line.start + _SENTENCE_MAX)]
            end = _SENTENCE_END.search(tail)
            sentence = " ".join(tail[: end.start() if end else len(tail)].split())
            if _DECIDES.search(sentence) and phrases.mentions_any(sentence) and not _REF_YEAR.search(sentence):
                return line.start
        seen_entry = True
        entry_ended = bool(_ENTRY_END.search(text))
    return None

