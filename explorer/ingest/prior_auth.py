"""Plan products a policy applies to, and prior authorization per product and care setting.

The prior-authorization section has one paragraph per care setting ("... IS REQUIRED for all
products if the procedure is performed inpatient") and optionally a table of products by setting.
On the web the table is tab-separated; in PDF text each cell is a line of its own (a cell may wrap
over several lines).
"""

from __future__ import annotations

import re

from explorer.ingest.facts import PriorAuthorization, Span
from explorer.ingest.text import Document, Line, paragraphs
from explorer.vocab.lexicon import Lexicon, Term

_SERVICE_MARK = re.compile(r"\s*(?:SM|®|™|\(SM\))\s*$")
_MEMBERS = re.compile(r"\bMembers?\b", re.IGNORECASE)
_ALL_PRODUCTS = re.compile(r"\bfor\s+all\s+(?:products|plans|members)\b", re.IGNORECASE)
_PERFORMED = re.compile(r"\bperformed\s+(?:in\s+(?:an?\s+|the\s+)?)?(?P<setting>[a-z][\w\- ]*?)\s*[.,;]", re.IGNORECASE)
_NOT_REQUIRED = re.compile(r"\b(?:is\s+)?not\s+required\b|\bno\s+(?:prior\s+)?authori[sz]ation\b", re.IGNORECASE)
_MIGHT = re.compile(r"\bmight\s+be\s+required\b|\bmay\s+be\s+required\b", re.IGNORECASE)
_REQUIRED = re.compile(r"\brequired\b|\brequires?\s+(?:prior\s+)?(?:authori[sz]ation|precertification)", re.IGNORECASE)
_CELL = re.compile(r"authori[sz]ation|precertification|required|\bN/?A\b|^not\b", re.IGNORECASE)


def product_label(text: str, lexicon: Lexicon) -> str:
    """The vocabulary's label for a product as a document writes it (service marks dropped)."""
    name = " ".join(_SERVICE_MARK.sub("", " ".join(text.split())).split())
    term = lexicon.products.lookup(name) or lexicon.products.lookup(text)
    return term.label if term else name


def parse_applies_to(doc: Document, start: int, end: int, lexicon: Lexicon) -> tuple[tuple[str, ...], Span | None]:
    """Products named in the policy section's member line(s) ("Commercial Members: ...")."""
    for a, b in paragraphs(doc, start, end):
        norm = doc.norm(a, b)
        if not _MEMBERS.search(norm.text) or len(norm.text) > 400:
            continue
        found: list[Term] = []
        for m in lexicon.products.find(norm.text):
            if m.term not in found:
                found.append(m.term)
        if found:
            return tuple(t.label for t in found), norm.span()
    return (), None


def requirement(cell: str) -> tuple[bool | None, str | None]:
    """Read a table cell or sentence: required, not required, or undetermined; plus a note.

    A cell that says more than yes/no ("requires prior authorization via <vendor>; requirements are
    member-specific") is read as required, and its words are kept as the note.
    """
    text = " ".join(cell.split()).rstrip(" .")
    if _NOT_REQUIRED.search(text):
        return False, None
    if _MIGHT.search(text):
        return None, text
    if _REQUIRED.search(text):
        plain = re.fullmatch(r"(?i)(?:prior\s+authori[sz]ation\s+)?(?:is\s+)?required", text)
        return True, None if plain else text
    return None, text or None


def parse_prior_authorization(
    doc: Document, start: int, end: int, lexicon: Lexicon, applies_to: tuple[str, ...]
) -> tuple[list[PriorAuthorization], list[str]]:
    """Prior-authorization cells (product x setting) and warnings for cells that could not be read."""
    settings = {t.label.lower(): t.slug for t in lexicon.settings}
    rules: list[tuple[str, bool | None, Span, str | None]] = []  # setting, required, span, note
    table: list[tuple[str, str, bool | None, Span, str | None]] = []
    warnings: list[str] = []
    for a, b in paragraphs(doc, start, end):
        norm = doc.norm(a, b)
        text = norm.text.lstrip("-• ")
        if _ALL_PRODUCTS.search(text):
            setting = _setting_of(text, settings)
            required, _ = requirement(text)
            if setting is not None and required is not None:
                rules.append((setting, required, norm.span(), None))
        elif _looks_like_table(doc, a, b, settings):
            table.extend(_table_rows(doc, a, b, lexicon, settings, warnings))
    products = list(applies_to)
    for product, *_ in table:
        if product not in products:
            products.append(product)
    cells: dict[tuple[str, str], PriorAuthorization] = {}
    for setting, required, span, note in rules:
        for product in products:
            cells[(product, setting)] = PriorAuthorization(product, setting, required, span, note)
    for product, setting, required, span, note in table:
        cells[(product, setting)] = PriorAuthorization(product, setting, required, span, note)
    order = {p: i for i, p in enumerate(products)}
    setting_order = list(dict.fromkeys([r[0] for r in rules] + [t[1] for t in table]))
    ordered = sorted(cells.values(), key=lambda c: (setting_order.index(c.setting), order[c.product]))
    return ordered, warnings


def _setting_of(text: str, settings: dict[str, str]) -> str | None:
    m = _PERFORMED.search(text)
    if m is not None:
        word = m.group("setting").strip().lower()
        return settings.get(word, "-".join(word.split()))
    return None


def _looks_like_table(doc: Document, a: int, b: int, settings: dict[str, str]) -> bool:
    first = doc.lines[doc.line_at(a) - 1]
    header = [c.strip().lower() for c in first.text.split("\t") if c.strip()]
    return bool(header) and all(h in settings for h in header)


def _table_rows(
    doc: Document, a: int, b: int, lexicon: Lexicon, settings: dict[str, str], warnings: list[str]
) -> list[tuple[str, str, bool | None, Span, str | None]]:
    """Rows of a products x settings table: tab-separated, or one cell per line (PDF text)."""
    lines = [ln for ln in doc.lines[doc.line_at(a) - 1 : doc.line_at(b)] if not ln.blank]
    columns = [settings[c.strip().lower()] for c in lines[0].text.split("\t") if c.strip()]
    rows: list[tuple[str, str, bool | None, Span, str | None]] = []
    body = lines[1:]
    if any("\t" in ln.text for ln in body):
        for ln in body:
            tab_cells = ln.text.split("\t")
            if len(tab_cells) < 2:
                continue
            product = product_label(tab_cells[0], lexicon)
            for setting, tab_cell in zip(columns, tab_cells[1:], strict=False):
                required, note = requirement(tab_cell)
                rows.append((product, setting, required, doc.span(ln.start, ln.end), note))
        return rows
    # PDF text: product line(s), then one cell per setting column; a cell may wrap over lines.
    groups: list[tuple[list[Line], list[list[Line]]]] = []
    for ln in body:
        is_cell = bool(_CELL.search(ln.stripped))
        if not groups:
            groups.append(([ln], []))
            continue
        name, cells = groups[-1]
        if is_cell and len(cells) < len(columns) and (not cells or _complete(cells[-1][-1].text)):
            cells.append([ln])
        elif cells and not _complete(cells[-1][-1].text):
            cells[-1].append(ln)  # a wrapped cell
        elif not cells:
            name.append(ln)  # a wrapped product name
        else:
            groups.append(([ln], []))
    for name, cells in groups:
        product = product_label(" ".join(ln.text for ln in name), lexicon)
        row = doc.span(name[0].start, (cells[-1][-1] if cells else name[-1]).end)
        for setting, cell in zip(columns, cells, strict=False):
            text = " ".join(ln.text for ln in cell)
            required, note = requirement(text)
            if required is None:
                warnings.append(f"prior authorization for {product} {setting}: cannot read {text.strip()!r}")
            rows.append((product, setting, required, row, note))
    return rows


def _complete(text: str) -> bool:
    return text.rstrip().endswith((".", "required", "Required"))
