"""Fidelity benchmark core: the parser's facts against hand-made gold files, per fact type.

Pure scoring on plain data (no files, no parser); :mod:`explorer.bench.fidelity_run` loads gold
files, finds and parses the documents and prints the report. Gold format:
``tests/fixtures/gold/README.md``.

Fact types and how they match:

- **identifier**, **payer**, **title**: exact after whitespace collapsing (title also ignores case);
  the payer is compared as a slug (the parser's label is resolved through ``data/vocab/payers.ttl``:
  skos:notation, prefLabel, altLabel; a label the vocabulary does not know counts wrong).
  Score = share of documents right. A null gold identifier or title means the document prints
  none: a parsed document with one is wrong (a refused document is not scored on it).
- **statements**: each gold quote is located in the document text (whitespace-insensitive search,
  mapped back to character offsets). An extracted statement matches a gold one when their character
  ranges overlap and the status is equal (any of ``.statuses`` when the statement has them).
  Recall = matched gold / gold; precision = matched extracted / extracted. An extracted status on a
  statement overlapping gold statements none of which has that status is an *invented status*
  (target 0). A gold quote not found in the document is a gold-file error: reported, excluded.
- **codes**: sets of (system, code); a range ``81162-81167`` is compared as printed after
  normalising dashes and spaces. **pmids**: sets. Recall/precision over the sets.
- **reference count**: ``|extracted - gold| / gold``, reported as within 5% or not.
- **newest history date**: the newest extracted history date (a row's date or range end; with no
  history rows, the header's last-revised / last-reviewed date) equals the gold one, compared at
  the gold's precision (a gold ``2025-09`` is a month) (documents whose gold date is not null only).
- A document the parser refuses counts as nothing found for every fact type (listed with its error).

Overall figures are micro-averaged: summed over documents, then divided.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from explorer.bench.fidelity_extracted import Extracted as Extracted  # re-exported: the scored input
from explorer.bench.fidelity_extracted import ExtractedStatement as ExtractedStatement
from explorer.bench.fidelity_extracted import extracted_from_facts as extracted_from_facts
from explorer.bench.fidelity_gold import Gold as Gold  # re-exported: the gold format is part of this API
from explorer.bench.fidelity_gold import GoldFormatError as GoldFormatError
from explorer.bench.fidelity_gold import GoldStatement as GoldStatement
from explorer.bench.fidelity_gold import gold_from_json as gold_from_json

STATEMENTS, CODES, PMIDS = "statements", "codes", "pmids"
IDENTIFIER, PAYER, TITLE, REFERENCES, HISTORY = "identifier", "payer", "title", "reference_count", "history"
SET_TYPES = (STATEMENTS, CODES, PMIDS)
"""Fact types scored by recall and precision."""
CHECK_TYPES = (IDENTIFIER, PAYER, TITLE, REFERENCES, HISTORY)
"""Fact types scored right/wrong per document."""

REFERENCE_TOLERANCE = 0.05


# --- normalisation and quote location ---------------------------------------------------------

_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]\s*")


def collapse(text: str) -> str:
    return " ".join(text.split())


def normalise_code(system: str, code: str) -> tuple[str, str]:
    """``("cpt", "81162 – 81167")`` -> ``("CPT", "81162-81167")``."""
    code = _DASHES.sub("-", code.strip())
    return collapse(system).upper(), "".join(code.split()).upper()


def normalise_pmid(pmid: str) -> str:
    digits = "".join(str(pmid).split())
    return digits.lstrip("0") or digits


@lru_cache(maxsize=4)
def _compact(text: str) -> tuple[list[int], str]:
    """The text without whitespace, and each remaining character's offset in ``text``."""
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    return positions, "".join(text[i] for i in positions)


def locate_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` where ``quote`` occurs in ``text`` ignoring whitespace (none: ``[]``)."""
    needle = "".join(quote.split())
    if not needle:
        return []
    positions, compact = _compact(text)
    found, at = [], compact.find(needle)
    while at >= 0:
        found.append((positions[at], positions[at + len(needle) - 1] + 1))
        at = compact.find(needle, at + 1)
    return found


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# --- scores -----------------------------------------------------------------------------------


@dataclass
class Counts:
    """Recall/precision counts for one fact type (one document or summed)."""

    gold: int = 0
    extracted: int = 0
    matched_gold: int = 0
    matched_extracted: int = 0

    @property
    def recall(self) -> float | None:
        return self.matched_gold / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.matched_extracted / self.extracted if self.extracted else None

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched_gold += other.matched_gold
        self.matched_extracted += other.matched_extracted

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "extracted": self.extracted,
            "matched_gold": self.matched_gold,
            "matched_extracted": self.matched_extracted,
            "recall": self.recall,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Miss:
    """A gold fact not found (``kind="missed"``) or an extracted fact not in gold (``"extra"``)."""

    file: str
    fact: str
    kind: str
    value: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "fact": self.fact, "kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class InventedStatus:
    file: str
    status: str
    start: int
    end: int
    gold_statuses: tuple[str, ...]
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "start": self.start,
            "end": self.end,
            "gold_statuses": list(self.gold_statuses),
            "quote": self.quote,
        }


@dataclass
class DocumentScore:
    """One document's scores. ``checks`` maps a right/wrong fact type to ``True``/``False``
    (absent when the gold does not give it); ``counts`` maps statements, codes and pmids to
    :class:`Counts`; ``gold_errors`` are problems of the gold file, not of the parser."""

    file: str
    payer: str
    error: str | None = None
    checks: dict[str, bool] = field(default_factory=dict)
    counts: dict[str, Counts] = field(default_factory=dict)
    reference_ratio: float | None = None
    invented: list[InventedStatus] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    gold_errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "payer": self.payer,
            "error": self.error,
            "checks": dict(self.checks),
            "counts": {k: c.to_json() for k, c in self.counts.items()},
            "reference_ratio": self.reference_ratio,
            "invented_statuses": [i.to_json() for i in self.invented],
            "misses": [m.to_json() for m in self.misses],
            "gold_errors": list(self.gold_errors),
        }


def _short(text: str, limit: int = 100) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check(score: DocumentScore, fact: str, gold: str | None, found: str | None, *, case: bool = True) -> None:
    """Right/wrong for one value; gold ``""`` (printed as null: the document has none) expects none
    and is not scored on a refused document."""
    if gold is None or (gold == "" and score.error is not None):
        return
    key = (lambda s: collapse(s)) if case else (lambda s: collapse(s).casefold())
    right = key(found or "") == key(gold)
    score.checks[fact] = right
    if not right:
        if gold:
            score.misses.append(Miss(score.file, fact, "missed", gold))
        if found:
            score.misses.append(Miss(score.file, fact, "extra", found))


def _score_statements(score: DocumentScore, gold: Sequence[GoldStatement], found: Extracted) -> None:
    located: list[tuple[GoldStatement, tuple[int, int]]] = []
    for i, g in enumerate(gold, 1):
        if not found.text:  # a refused document whose text could not be read: the gold still counts
            located.append((g, (-1, -1)))
            continue
        hits = locate_quote(found.text, g.quote)
        if not hits:
            score.gold_errors.append(
                f"{score.file}: statement {i} quote not found in the document: {_short(g.quote)!r}"
            )
            continue
        if len(hits) > 1:
            score.gold_errors.append(
                f"{score.file}: statement {i} quote occurs {len(hits)} times; the first is used: {_short(g.quote)!r}"
            )
        located.append((g, hits[0]))
    counts = Counts(gold=len(located), extracted=len(found.statements))
    matched_gold: set[int] = set()
    for e in found.statements:
        rng = (e.start, e.end)
        overlapping = [(i, g) for i, (g, r) in enumerate(located) if _overlaps(rng, r)]
        agreeing = [i for i, g in overlapping if g.status in e.statuses]
        matched_gold.update(agreeing)
        if agreeing:
            counts.matched_extracted += 1
        else:
            score.misses.append(
                Miss(score.file, STATEMENTS, "extra", f"[{'/'.join(e.statuses)}] {e.start}-{e.end} {_short(e.quote)!r}")
            )
        if overlapping:
            gold_statuses = tuple(sorted({g.status for _, g in overlapping}))
            for status in e.statuses:
                if status not in gold_statuses:
                    score.invented.append(
                        InventedStatus(score.file, status, e.start, e.end, gold_statuses, _short(e.quote))
                    )
    counts.matched_gold = len(matched_gold)
    for i, (g, _) in enumerate(located):
        if i not in matched_gold:
            score.misses.append(Miss(score.file, STATEMENTS, "missed", f"[{g.status}] {_short(g.quote)!r}"))
    score.counts[STATEMENTS] = counts


def _score_set(score: DocumentScore, fact: str, gold: Iterable[str], found: Iterable[str]) -> None:
    g, f = set(gold), set(found)
    both = len(g & f)
    score.counts[fact] = Counts(len(g), len(f), both, both)
    score.misses += [Miss(score.file, fact, "missed", v) for v in sorted(g - f)]
    score.misses += [Miss(score.file, fact, "extra", v) for v in sorted(f - g)]


def score_document(
    facts: Any,
    gold: Gold,
    *,
    resolve_payer: Callable[[str], str | None] | None = None,
    error: str | None = None,
    text: str | None = None,
) -> DocumentScore:
    """Score one document's extracted facts (``PolicyFacts``-like or :class:`Extracted`) against gold.

    ``facts=None`` (with ``error``, the parser's message) scores a refused document: nothing found;
    ``text``, the document's text if it could be read, still lets the gold quotes be checked.
    """
    found = Extracted(text=text or "") if facts is None else extracted_from_facts(facts, resolve_payer)
    score = DocumentScore(gold.file, gold.payer or "?", error=error)
    _check(score, IDENTIFIER, gold.identifier, found.identifier or None)
    _check(score, PAYER, gold.payer, found.payer if facts is not None else None)
    if PAYER in score.checks and not score.checks[PAYER] and found.payer is None and found.payer_label:
        score.misses.append(Miss(score.file, PAYER, "extra", f"unknown payer label {found.payer_label!r}"))
    _check(score, TITLE, gold.title, found.title or None, case=False)
    if gold.statements is not None:
        _score_statements(score, gold.statements, found)
    if gold.codes is not None:

        def code_key(c: tuple[str, str]) -> str:
            return "{} {}".format(*normalise_code(*c))

        _score_set(score, CODES, map(code_key, gold.codes), map(code_key, found.codes))
    if gold.pmids is not None:
        _score_set(score, PMIDS, map(normalise_pmid, gold.pmids), map(normalise_pmid, found.pmids))
    if gold.reference_count is not None:
        n, g = found.reference_count, gold.reference_count
        score.reference_ratio = abs(n - g) / g if g else (0.0 if n == 0 else None)
        score.checks[REFERENCES] = score.reference_ratio is not None and score.reference_ratio <= REFERENCE_TOLERANCE
        if not score.checks[REFERENCES]:
            score.misses.append(Miss(score.file, REFERENCES, "missed", f"{g} references (found {n})"))
    if gold.newest_history_date is not None:
        wanted = gold.newest_history_date.strip()
        newest = max(found.history_dates, default=None)
        if newest is not None and len(wanted) == 7:  # the gold gives a month: compare months
            newest = max(d[:7] for d in found.history_dates)
        _check(score, HISTORY, wanted, newest)
    return score


# --- totals -----------------------------------------------------------------------------------


@dataclass
class Totals:
    """Micro-averaged figures over a group of documents."""

    documents: int = 0
    failed: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECK_TYPES, 0))
    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECK_TYPES, 0))
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in SET_TYPES})
    invented: int = 0

    def add(self, score: DocumentScore) -> None:
        self.documents += 1
        self.failed += score.error is not None
        for fact, ok in score.checks.items():
            self.checked[fact] += 1
            self.right[fact] += ok
        for fact, c in score.counts.items():
            self.counts[fact].add(c)
        self.invented += len(score.invented)

    def share(self, fact: str) -> float | None:
        return self.right[fact] / self.checked[fact] if self.checked[fact] else None

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "invented_statuses": self.invented,
            "checks": {
                f: {"right": self.right[f], "checked": self.checked[f], "share": self.share(f)} for f in CHECK_TYPES
            },
            "counts": {f: c.to_json() for f, c in self.counts.items()},
        }


def totals(scores: Iterable[DocumentScore]) -> Totals:
    out = Totals()
    for s in scores:
        out.add(s)
    return out


def totals_by(scores: Iterable[DocumentScore], key: Callable[[DocumentScore], str]) -> dict[str, Totals]:
    groups: dict[str, Totals] = {}
    for s in scores:
        groups.setdefault(key(s), Totals()).add(s)
    return dict(sorted(groups.items()))
