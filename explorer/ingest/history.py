"""Policy history rows: a date (or date range) and the action taken.

Dates are written ``M/YYYY`` or ``M/D/YYYY``, ranges ``M/YYYY-M/YYYY``; they become ISO strings
(``2019-04``, ``2012-01-01``).  In PDF text a row's action wraps onto following lines.
"""

from __future__ import annotations

import re

from explorer.ingest.facts import HistoryEvent
from explorer.ingest.text import Document

_DATE = r"\d{1,2}/(?:\d{1,2}/)?\d{4}"
_ROW = re.compile(rf"^\s*(?P<date>{_DATE})(?:\s*[-–]\s*(?P<end>{_DATE}))?(?:\t|\s+)(?P<action>\S.*)$")


def iso_date(text: str) -> str:
    """``4/2019`` -> ``2019-04``; ``1/1/2012`` -> ``2012-01-01``."""
    parts = [int(p) for p in text.split("/")]
    if len(parts) == 2:
        month, year = parts
        day = None
    else:
        month, day, year = parts
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise ValueError(f"not a date: {text}")
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def parse_history(doc: Document, start: int, end: int) -> tuple[list[HistoryEvent], list[str]]:
    """History rows in ``text[start:end]``, and warnings for dates that are not dates."""
    events: list[HistoryEvent] = []
    warnings: list[str] = []
    row: list = []  # [date, end, words, start, stop]

    def close() -> None:
        if row:
            date, stop_date, words, a, b = row
            events.append(HistoryEvent(date, " ".join(" ".join(words).split()), doc.span(a, b), stop_date))
            row.clear()

    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.number in doc.noise or line.blank:
            continue
        m = _ROW.match(line.text)
        if m:
            try:
                date = iso_date(m.group("date"))
                stop = iso_date(m.group("end")) if m.group("end") else None
            except ValueError as exc:
                warnings.append(f"line {line.number}: {exc}")
                continue
            close()
            row.extend([date, stop, [m.group("action")], line.start, line.end])
        elif row:
            row[2].append(line.text)
            row[4] = line.end
    close()
    return events, warnings
