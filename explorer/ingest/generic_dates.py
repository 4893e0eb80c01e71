"""Dates in every payer's spelling, and the dated lines of a policy's header.

``05/11/2023``, ``2023-05-11``, ``May 11, 2023``, ``May 2023``, ``5/2023`` and, where a family
writes them, ``5/23``: all become ISO (``2023-05-11``, ``2023-05``).  Header lines are found by
the profile's labels (``[dates]`` in ``data/formats/generic.toml``: "Effective Date",
"Last Review Date", "Next Review Due By" ...).
"""

from __future__ import annotations

import re

from explorer.ingest.facts import PolicyDate
from explorer.ingest.literal_prefilter import Haystack
from explorer.ingest.text import Document

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH_RE = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE_PATTERNS = (
    re.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
    re.compile(r"(?<![\d/])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    re.compile(rf"\b{_MONTH_RE}\s+(?P<d>\d{{1,2}}),\s*(?P<y>\d{{4}})\b"),
    re.compile(rf"\b{_MONTH_RE}\s+(?P<y>\d{{4}})(?!\d)"),
    re.compile(r"(?<![\d/.])(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])"),
    re.compile(r"(?<![\d/.])(?P<m>\d{1,2})/(?P<y>\d{2})(?![\d/.])"),
)


def iso_date(m: re.Match[str]) -> str | None:
    """The ISO form of a matched date (``YYYY-MM-DD`` or ``YYYY-MM``), or None if impossible."""
    parts = m.groupdict()
    year = int(parts["y"])
    if year < 100:
        year += 2000 if year <= 60 else 1900
    if parts.get("mon"):
        month = _MONTHS.get(parts["mon"].lower().rstrip("."), 0) or next(
            (v for k, v in _MONTHS.items() if k.startswith(parts["mon"].lower()[:3])), 0
        )
    else:
        month = int(parts["m"])
    if not (1 <= month <= 12 and 1950 <= year <= 2099):
        return None
    if parts.get("d"):
        day = int(parts["d"])
        if not 1 <= day <= 31:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}"



def header_dates(doc: Document, labels: dict[str, tuple[re.Pattern[str], ...]]) -> list[PolicyDate]:
    """The first date after each kind's label (``Effective Date: 04/16/2025``), in text order."""
    out: list[PolicyDate] = []
    text = Haystack(doc.text)  # a label is looked for where its literal occurs, not at every position
    for kind, patterns in labels.items():
        found: tuple[int, int, str] | None = None
        for label in patterns:
            for m in text.finditer(label):
                value = _date_at(doc.text, m.end())
                if value is not None and (found is None or m.start() < found[0]):
                    found = (value[0], value[1], value[2])
                    break
        if found is not None:
            out.append(PolicyDate(kind=kind, date=found[2], span=doc.span(found[0], found[1])))
    return sorted(out, key=lambda d: d.span.start)


_GAP = re.compile(r"[\s:*]*")


def _date_at(text: str, offset: int) -> tuple[int, int, str] | None:
    start = _GAP.match(text, offset).end()  # type: ignore[union-attr]
    for pattern in DATE_PATTERNS[:-1]:  # a bare m/yy right after a label is too ambiguous
        m = pattern.match(text, start)
        if m is not None and (date := iso_date(m)) is not None:
            return m.start(), m.end(), date
    return None
