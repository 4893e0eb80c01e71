"""HTML -> text of record, with selectolax (the Lexbor HTML5 parser): the page's text, site chrome dropped.

Why selectolax: an HTML5-conformant parser (browsers' tree for broken markup), small wheel, kept up;
on the policy fixture (19 KB) and a 355 KB page: selectolax 0.1 / 2.5 ms, lxml.html 0.2 / 3.9 ms
(libxml2's HTML 4 parser), trafilatura 11 / 184 ms, and trafilatura chooses what is content by
heuristics (it dropped the policy's table of contents) and needs an extra package to import.

The text: the page's ``<main>`` (or ``[role=main]``) when it has one, else its ``<body>``; no
``script style noscript template svg nav form`` or form controls, no ``header``/``footer`` outside
an ``article`` (site chrome), nothing ``hidden``. Blocks (paragraphs, headings, lists, tables)
end lines, with a blank line between paragraphs and headings; list items are lines starting
``- `` (``1. `` in an ordered list); table rows are lines of tab-separated cells.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from explorer.errors import PolicyParseError
from explorer.read.text import decode_utf8

_DROP = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "nav", "form", "button", "select", "input",
    "textarea", "option", "iframe", "object", "embed", "canvas", "dialog", "head", "title", "meta", "link",
})
_CHROME = frozenset({"header", "footer"})
_PARAGRAPH = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "pre", "blockquote", "figure",
    "hr", "address", "details",
})
_LINE = frozenset({
    "div", "section", "article", "main", "aside", "li", "tr", "dt", "dd", "caption", "figcaption",
    "summary", "center", "fieldset", "legend", "tbody", "thead", "tfoot", "body", "header", "footer",
})
_CELL = frozenset({"td", "th"})
_SPACE = re.compile(r"[ \t\n\r\f\u00a0]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)


def html_text(data: bytes, name: str) -> str:
    """The visible policy text of an HTML page (see the module docstring)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode(data, name))
    root = tree.css_first("main") or tree.css_first("[role=main]") or tree.body or tree.root
    if root is None:
        return ""
    return _Writer().render(root)


def _decode(data: bytes, name: str) -> str:
    """A BOM, else a ``<meta charset>`` near the top, else UTF-8; always strict."""
    if data.startswith(b"\xef\xbb\xbf"):
        return decode_utf8(data, name, skip=3, what="UTF-8 HTML")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[2:], codec, name)
    match = _META_CHARSET.search(data[:4096])
    if match:
        label = match.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            raise PolicyParseError(f"HTML declares an unknown charset {label!r}", path=name) from None
        if codec not in ("utf-8", "ascii"):
            return _strict(data, "cp1252" if codec in ("latin-1", "iso8859-1") else codec, name)  # as browsers do
    return decode_utf8(data, name, what="UTF-8 HTML (and it declares no other charset)")


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise PolicyParseError(f"not {codec} HTML as it declares (byte 0x{data[exc.start]:02x} at offset "
                               f"{exc.start})", path=name, line=data[: exc.start].count(b"\n") + 1) from exc


class _Writer:
    """Walks the tree without recursion (a hostile page may nest deeper than Python's stack)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line = ""
        self.started = False  # the current line has begun (it may begin with a tab: an empty first cell)
        self.blank = False  # a blank line is owed before the next line
        self.prefix = ""  # "- " or "3. " for the list item about to start
        self.lists: list[list[int]] = []  # [ordered?, next number] per open list
        self.cells = 0  # > 0 inside a table cell: blocks become spaces
        self.pre = 0

    def render(self, root: Any) -> str:
        stack: list[tuple[Any, bool]] = [(root, True)]
        while stack:
            node, entering = stack.pop()
            if not entering:
                self._close(node.tag)
            elif self._open(node):
                stack.append((node, False))
                children = []
                child = node.child
                while child is not None:
                    children.append(child)
                    child = child.next
                stack.extend((c, True) for c in reversed(children))
        self._end_line()
        return "\n".join(self.lines).strip("\n") + "\n"

    def _open(self, node: Any) -> bool:
        tag = node.tag
        if tag == "-text":
            self._text(node.text_content or "")
            return False
        if not tag or tag.startswith(("-", "_", "!")) or tag in _DROP:
            return False
        attributes = node.attributes
        if "hidden" in attributes or (attributes.get("aria-hidden") or "").lower() == "true":
            return False
        if tag in _CHROME and not _inside(node, "article"):
            return False
        if tag == "br":
            self._break()
            return False
        if tag in _CELL:
            index = self._cell_index(node)
            self._start()
            self.line += "\t" if index else ""
            self.cells += 1
            return True
        self._block(tag)
        if tag in ("ol", "ul"):
            self.lists.append([tag == "ol", _int(attributes.get("start"), 1)])
        elif tag == "li" and not self.cells:
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            if ordered:
                self.prefix = f"{number}. "
                self.lists[-1][1] += 1
            else:
                self.prefix = "- "
        elif tag == "pre":
            self.pre += 1
        return True

    def _close(self, tag: str) -> None:
        if tag in _CELL:
            self.cells -= 1
            self.line = self.line.rstrip(" ")
            return
        if tag == "pre":
            self.pre -= 1
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        self._block(tag)

    def _block(self, tag: str) -> None:
        if tag in _PARAGRAPH and not (tag in ("ul", "ol") and self.lists):  # a nested list is lines
            self._end_line()
            self.blank = True
        elif tag in _LINE:
            self._end_line()

    def _break(self) -> None:
        if self.cells:
            self._space()
        elif self.started:
            self._end_line()
        else:
            self._start()
            self._end_line()

    def _text(self, text: str) -> None:
        if self.pre and not self.cells:
            for k, part in enumerate(text.replace("\r\n", "\n").split("\n")):
                if k:
                    self._start()  # an empty line of a <pre> is kept
                    self._end_line()
                if part:
                    self._start()
                    self.line += part.replace("\t", " ")
            return
        text = _SPACE.sub(" ", text)
        if not self.started or self.line.endswith((" ", "\t")) or self.line == self.prefix:
            text = text.lstrip(" ")
        if text:
            self._start()
            self.line += text

    def _start(self) -> None:
        if self.started:
            return
        if self.blank and self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.blank = False
        self.line, self.prefix, self.started = self.prefix, "", True

    def _space(self) -> None:
        if self.started and self.line and not self.line.endswith((" ", "\t")):
            self.line += " "

    def _end_line(self) -> None:
        if self.cells:
            self._space()
            return
        if self.started:
            self.lines.append(self.line.rstrip(" "))
        self.line, self.started = "", False

    @staticmethod
    def _cell_index(node: Any) -> int:
        count = 0
        sibling = node.prev
        while sibling is not None:
            if sibling.tag in _CELL:
                count += 1
            sibling = sibling.prev
        return count


def _inside(node: Any, tag: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
