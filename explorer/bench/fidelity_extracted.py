"""What the parser found in one document, as the plain values ``bench fidelity`` scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExtractedStatement:
    statuses: tuple[str, ...]
    start: int
    end: int
    quote: str = ""


@dataclass(frozen=True)
class Extracted:
    """What the parser found in one document, as plain values. ``payer`` is a slug or ``None``."""

    text: str = ""
    identifier: str = ""
    payer: str | None = None
    payer_label: str = ""
    title: str = ""
    statements: tuple[ExtractedStatement, ...] = ()
    codes: tuple[tuple[str, str], ...] = ()
    pmids: tuple[str, ...] = ()
    reference_count: int = 0
    history_dates: tuple[str, ...] = ()


def extracted_from_facts(facts: Any, resolve_payer: Callable[[str], str | None] | None = None) -> Extracted:
    """Plain :class:`Extracted` from anything shaped like ``PolicyFacts`` (read by attribute name).

    ``resolve_payer`` turns the parser's payer label into a vocabulary slug (``None`` = unknown);
    without it the label is taken as the slug.
    """
    if isinstance(facts, Extracted):
        return facts
    label = str(getattr(facts, "payer", "") or "")
    statements = []
    for s in getattr(facts, "statements", ()):
        statuses = tuple(getattr(s, "statuses", None) or (s.status,))
        span = s.span
        statements.append(ExtractedStatement(statuses, span.start, span.end, getattr(span, "quote", "")))
    dates: list[str] = []
    for h in getattr(facts, "history", ()):
        dates.extend(d for d in (getattr(h, "date", None), getattr(h, "end", None)) if d)
    if not dates:  # no history table: the header's "last revised / last reviewed" dates say when it changed
        dates = [d.date for d in getattr(facts, "dates", ()) if getattr(d, "kind", "") in ("revised", "reviewed")]
    return Extracted(
        text=getattr(facts, "text", ""),
        identifier=str(getattr(facts, "identifier", getattr(facts, "number", "")) or ""),
        payer=(resolve_payer(label) if resolve_payer else label) if label else None,
        payer_label=label,
        title=str(getattr(facts, "title", "") or ""),
        statements=tuple(statements),
        codes=tuple((c.system, c.code) for c in getattr(facts, "codes", ())),
        pmids=tuple(r.pmid for r in getattr(facts, "references", ()) if getattr(r, "pmid", None)),
        reference_count=len(getattr(facts, "references", ())),
        history_dates=tuple(dates),
    )
