"""PDF -> text of record, with pdfplumber: one page after another, pages separated by a form feed.

Why pdfplumber (measured on the seed policy printed to PDF by chromium, with and without running
headers/footers and in two columns, and on FEP 2.04.141 printed to 9 pages; README "Input formats"):

- faithful text: ligatures expanded (pypdf leaves U+FB01 in "clariﬁed", so "Effective" is not
  found: word-sequence match 0.82 against the source vs 0.99), hyphens and line ends kept as
  printed (pypdfium2 joins "industry-\\nstandard" into "industrystandard" and marks hyphens with
  U+0002/U+FFFE), and no line lost (pypdf dropped chromium's page footer);
- geometry: every character keeps its page and position, so table rows come out as tab-separated
  cells (like the web rendering) and the layout code can later find headers and columns;
- pure Python (pdfminer.six), MIT, maintained.

The cost is speed: about 0.2 s a page (pypdf 0.1 s, pypdfium2 0.02 s) and 30-70 MB at peak.
A two-column page is read row by row across both columns (geometric order).
"""

from __future__ import annotations

import io
import re
from typing import Any

from explorer.errors import PolicyParseError

_MIN_ROWS = 2
_MIN_COLUMNS = 2


def pdf_text(data: bytes, name: str) -> str:
    """The text of every page, in reading order, pages joined by ``\\f``.

    :raises PolicyParseError: encrypted (a password is needed), corrupt, or no text layer.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if is_mangled(data):
        raise PolicyParseError(
            "corrupt PDF: its binary bytes were replaced by U+FFFD and its line ends removed (it was saved "
            "as text); fetch the original file", path=name,
        )
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
    except PolicyParseError:
        raise
    except Exception as exc:  # a third-party parser on untrusted bytes: any failure is a bad document
        cause = exc.__context__ if type(exc).__name__ == "PdfminerException" and exc.__context__ else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(exc).lower():
            raise PolicyParseError("encrypted PDF (a password is needed to read it)", path=name) from exc
        detail = " ".join(str(cause).split())[:120] or type(cause).__name__
        raise PolicyParseError(f"corrupt PDF ({detail})", path=name) from exc
    text = "\f".join(pages).replace("\x00", "")
    if not text.replace("\f", "").strip():
        raise PolicyParseError("the PDF has no text layer (scanned pages?); it needs OCR first", path=name)
    return text


MANGLED_WARNING = (
    "damaged PDF: its binary bytes were replaced by U+FFFD when it was saved as text, so its pages "
    "cannot be read; only the document metadata (title, dates) was salvaged: fetch the original file"
)
_STREAM_START = re.compile(rb"\bstream\s")
_PDF_SYNTAX = re.compile(rb"\b(?:obj|endobj|xref|trailer|startxref)\b|/[A-Z][A-Za-z]+")


def is_mangled(data: bytes) -> bool:
    """A PDF whose binary bytes became U+FFFD and whose line ends were removed (saved as text)."""
    return data.count(b"\xef\xbf\xbd") > 16 and b"\n" not in data and b"\r" not in data


def salvage_metadata(data: bytes) -> str:
    """The readable text of a mangled PDF's uncompressed streams: its XMP metadata packet (producer,
    title, dates) survives as plain words while compressed page content does not.  Empty if none."""
    runs = []
    for chunk in data.split(b"endstream")[:-1]:
        starts = list(_STREAM_START.finditer(chunk))
        if not starts:
            continue
        body = chunk[starts[-1].end() :].strip()
        if b"\xef\xbf\xbd" in body or _PDF_SYNTAX.search(body) or len(body.split()) < 4:
            continue
        try:
            runs.append(" ".join(body.decode("utf-8").split()))
        except UnicodeDecodeError:
            continue
    return "\n".join(runs)


def _page_text(page: Any) -> str:
    """One page: text lines top to bottom, each ruled table as rows of tab-separated cells."""
    tables = [
        t for t in page.find_tables()
        if len(t.rows) >= _MIN_ROWS and max(len(r.cells) for r in t.rows) >= _MIN_COLUMNS
    ]
    if not tables:
        return str(page.extract_text() or "")
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    lines = page.filter(outside).extract_text_lines()
    blocks: list[tuple[float, str]] = [(line["top"], line["text"]) for line in lines]
    for table in tables:
        rows = ["\t".join(_cell(c) for c in row) for row in table.extract()]
        blocks.append((table.bbox[1], "\n".join(rows)))
    return "\n".join(text for _, text in sorted(blocks, key=lambda b: b[0]))


def _cell(text: str | None) -> str:
    """A cell's wrapped lines on one line; a line ending in a hyphen joins the next without a space."""
    out = ""
    for line in (text or "").split("\n"):
        line = " ".join(line.replace("\t", " ").split())
        if not line:
            continue
        out += line if not out or out.endswith("-") else " " + line
    return out
