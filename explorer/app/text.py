"""Document text as an analyst reads it: the policy's own markup (``**bold**``, ``- `` list items,
``[links](#)``, tab-separated table cells, "required ." spacing) rendered or tidied, never shown raw,
and never able to become live markup (every character of the document is escaped first)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.S)
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_LIST_MARK = re.compile(r"^[ \t]*(?:[-*+\u2022\u25cf\u25aa]|\d{1,3}[.)])[ \t]+", re.M)
_HEADING_MARK = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([.,;:!?)])")
_SPACES = re.compile(r"[ \t\u00a0]+")


def md(text: str) -> str:
    """Text made inert for ``st.markdown``: HTML-escaped, Markdown characters backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def plain(text: str | None) -> str:
    """The document's words without its markup: no ``**``, list marks, heading marks or link
    targets; table cells (tabs) joined by " — "; no space before punctuation; one line."""
    if not text:
        return ""
    out = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    out = _LINK.sub(r"\1", out)
    out = _LIST_MARK.sub("", out)
    out = _HEADING_MARK.sub("", out)
    out = "\n".join(_cells(line) for line in out.splitlines())
    out = _SPACES.sub(" ", out.replace("\n", " "))
    return _SPACE_BEFORE_PUNCT.sub(r"\1", out).strip()


def _cells(line: str) -> str:
    cells = [c.strip() for c in line.split("\t")]
    return " — ".join(c for c in cells if c)


def rich(text: str | None) -> str:
    """Markdown for ``st.markdown`` that shows the document's bold as bold and everything else as
    tidied, escaped text (see :func:`plain`)."""
    if not text:
        return ""
    clean = text.replace("\x01", "").replace("\x02", "")  # the two marks below are ours alone
    marked = _BOLD.sub(lambda m: "\x01" + (m.group(1) or m.group(2)) + "\x02", clean)
    out = []
    for i, piece in enumerate(re.split("[\x01\x02]", plain(marked))):
        if i % 2 and piece.strip():
            lead = " " if piece[0] == " " else ""
            trail = " " if piece[-1] == " " else ""
            out.append(f"{lead}**{md(piece.strip())}**{trail}")
        else:
            out.append(md(piece))
    return "".join(out)


def blank(value: object) -> object:
    """None (and NaN) shown as an empty cell, not as "None"."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return value


@cache
def _disease_labels() -> Mapping[str, tuple[str, ...]]:
    from explorer.vocab.lexicon import load_lexicon

    return {t.slug: t.labels for t in load_lexicon().diseases}


def disease_label(slug: str) -> str:
    """A disease's preferred label from the vocabulary (the slug, tidied, if the vocabulary lacks it)."""
    labels = _disease_labels().get(slug)
    return labels[0] if labels else slug.replace("-", " ")


def disease_names(slug: str) -> tuple[str, ...]:
    """A disease's label and synonyms."""
    return _disease_labels().get(slug, (slug.replace("-", " "),))


_LIST_ITEM = re.compile(r"^([ \t]*)([-*+])[ \t]+", re.M)


def document_html(text: str, start: int | None = None, end: int | None = None) -> str:
    """The document as escaped HTML with its bold shown bold, link targets and ``**`` hidden, list
    dashes as bullets, and ``text[start:end]`` inside ``<mark>`` (the first piece has the id
    ``pe-highlight``). Offsets stay those of the text of record; markup only changes how it looks."""
    hidden: list[tuple[int, int]] = []
    bold: list[tuple[int, int]] = []
    bullets: list[tuple[int, int]] = []
    for m in _BOLD.finditer(text):
        group = 1 if m.group(1) is not None else 2
        hidden += [(m.start(), m.start(group)), (m.end(group), m.end())]
        bold.append((m.start(group), m.end(group)))
    for m in _LINK.finditer(text):
        hidden += [(m.start(), m.start() + 1), (m.end(1), m.end())]
    for m in _LIST_ITEM.finditer(text):
        bullets.append((m.start(2), m.end(2)))
    cuts = {0, len(text)}
    for a, b in (*hidden, *bold, *bullets):
        cuts.update((a, b))
    if start is not None and end is not None:
        cuts.update((start, end))
    points = sorted(c for c in cuts if 0 <= c <= len(text))

    def inside(pos: int, intervals: list[tuple[int, int]]) -> bool:
        return any(a <= pos < b for a, b in intervals)

    out: list[str] = []
    marked = False
    for a, b in zip(points, points[1:], strict=False):
        if a == b or inside(a, hidden):
            continue
        piece = "\u2022" if inside(a, bullets) else html.escape(text[a:b], quote=False)
        if inside(a, bold):
            piece = f"<strong>{piece}</strong>"
        if start is not None and end is not None and start <= a < end:
            piece = ("<mark>" if marked else '<mark id="pe-highlight">') + piece + "</mark>"
            marked = True
        out.append(piece)
    return "".join(out)


def pa_where(requirement: Any) -> str:
    """Where a prior-authorization requirement applies, as a reader says it: "product, setting" for
    a table cell, else the product, the line of business, or the whole policy."""
    named = [x for x in (requirement.product, requirement.setting) if x]
    if named:
        return ", ".join(named)
    line = getattr(requirement, "line_of_business", None)
    return f"{line} (line of business)" if line else "the whole policy"
