"""Criteria as a tree: the list items under a statement, nested by their markers, with their logic.

A statement that ends in a lead-in ("... is considered medically necessary when BOTH the following
are met:") is followed by list items.  Items nest by marker style, the way a reader sees it: the
first style met is the outer level (``A.``), a new style opens a deeper level (``1.``, then ``a.``,
then ``•`` / ``o``), and a style seen before closes the levels opened after it.  The list ends at
an item of the statement's own style (the next statement: ``II.``), at text without a marker, or at
the end of the section.

The logic of a level comes from the words leading into it ("ALL of the following", "BOTH" ->
all-of; "any of the following", "ONE or more", "either" -> any-of; "two or more of the following",
"at least three of the following" -> at-least-2, at-least-3), else from the items' own
connectors (trailing "OR" / "AND"); None when the document does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explorer.ingest.facts import Criterion
from explorer.ingest.text import Document

_MARKER = re.compile(
    r"^\s*(?:(?P<bullet>[•●▪◦§\-–*])|(?P<o>o)(?=\s)|\(?(?P<token>[IVXivx]{1,4}|[A-Za-z]|\d{1,2})(?P<close>[.)]))\s+"
)
_ANY = re.compile(r"\b(?:any|one|either|at\s+least\s+one|one\s+or\s+more)\b(?:\s+\w+){0,3}\s+"
                  r"(?:of\s+)?(?:the\s+)?following\b"
                  r"|\beither\b|\bcriteria\s+[A-Z0-9]{1,3}\s+or\s+[A-Z0-9]{1,3}\b", re.IGNORECASE)
_ALL = re.compile(r"\b(?:all|both|each)\b(?:\s+\w+){0,3}\s+(?:of\s+)?(?:the\s+)?following\b"
                  r"|\bboth\b|\ball\s+(?:of\s+)?(?:these|the)\s+criteria\b|\bthe\s+following\s+criteria\s+(?:are|is)\s+met\b"
                  r"|\bcriteria\s+[A-Z0-9]{1,3}\s+and\s+[A-Z0-9]{1,3}\b",
                  re.IGNORECASE)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_AT_LEAST = re.compile(r"\b(?:at\s+least|a\s+minimum\s+of)\s+(?P<a>two|three|four|five|six|[2-9])\b(?:\s+\w+){0,2}\s+"
                       r"(?:of\s+)?(?:the\s+)?following\b"
                       r"|\b(?P<b>two|three|four|five|six|[2-9])\s+or\s+more\s+(?:of\s+)?(?:the\s+)?following\b",
                       re.IGNORECASE)
_TRAILING = re.compile(r"[;,]?\s*\b(OR|AND|or|and)\s*[;,]?\s*$")


def marker_style(line: str, previous_upper: str | None = None) -> str | None:
    """The marker style of a list item's first line (``bullet:•``, ``num.``, ``upper.``, ``roman.`` ...)."""
    m = _MARKER.match(line)
    if m is None:
        return None
    if m.group("bullet"):
        return "bullet:" + m.group("bullet")
    if m.group("o"):
        return "bullet:o"
    token, close = m.group("token"), m.group("close")
    if token.isdigit():
        kind = "num"
    elif re.fullmatch(r"[IVX]+", token) and not (len(token) == 1 and previous_upper not in (None, "I", "V", "X")):
        kind = "ROMAN"
    elif re.fullmatch(r"[ivx]+", token) and len(token) > 1:
        kind = "roman"
    elif token.isupper():
        kind = "UPPER"
    else:
        kind = "lower"
    return f"{kind}{close}"


def marker_end(line: str) -> int:
    """Where the item's text starts after its marker."""
    m = _MARKER.match(line)
    return m.end() if m else 0


def logic_of(lead_in: str, items: list[str] | None = None) -> str | None:
    """all-of / any-of / at-least-N (N >= 2: "two or more of the following", "at least three of the
    following") from the lead-in's words, else from the items' trailing connectors."""
    if m := _AT_LEAST.search(lead_in):
        word = (m.group("a") or m.group("b")).lower()
        return f"at-least-{_NUMBERS.get(word) or int(word)}"
    if _ANY.search(lead_in):
        return "any-of"
    if _ALL.search(lead_in):
        return "all-of"
    if items:
        tails = [m.group(1).lower() for text in items[:-1] if (m := _TRAILING.search(text))]
        if tails and all(t == "or" for t in tails):
            return "any-of"
        if tails and all(t == "and" for t in tails):
            return "all-of"
    return None


@dataclass
class _Node:
    text: str
    start: int
    end: int
    style: str | None
    children: list[_Node] = field(default_factory=list)


def criteria_tree(
    doc: Document, lead_in: str, items: list[tuple[int, int, str]]
) -> tuple[tuple[Criterion, ...], str | None]:
    """The criteria of a statement from its list items ``(start, end, style)`` in document order."""
    root = _Node(lead_in, 0, 0, None)
    stack: list[_Node] = [root]
    styles: list[str | None] = [None]
    for start, end, style in items:
        if style in styles[1:]:
            depth = styles.index(style)
            del stack[depth:], styles[depth:]
        node = _Node(_item_text(doc, start, end), start, end, style)
        stack[-1].children.append(node)
        stack.append(node)
        styles.append(style)
    return _freeze(doc, root.children), logic_of(lead_in, [c.text for c in root.children])


def _item_text(doc: Document, start: int, end: int) -> str:
    line = doc.lines[doc.line_at(start) - 1]
    skip = start + marker_end(doc.text[line.start : line.end]) if line.start == start else start
    return doc.norm(skip, end).text


def _freeze(doc: Document, nodes: list[_Node]) -> tuple[Criterion, ...]:
    out = []
    for n in nodes:
        items = _freeze(doc, n.children)
        logic = logic_of(n.text, [c.text for c in n.children]) if n.children else None
        out.append(Criterion(text=n.text, span=doc.span(n.start, n.end), logic=logic, items=items))
    return tuple(out)
