"""Fidelity benchmark I/O: load gold files, find and parse their documents, score, and report.

The scoring itself is :mod:`explorer.bench.fidelity` (pure, on plain data); this module reads
files, runs the parser and renders the tables (``policy-explorer bench fidelity``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from explorer.bench.fidelity import (
    CODES,
    HISTORY,
    IDENTIFIER,
    PAYER,
    PMIDS,
    REFERENCES,
    STATEMENTS,
    TITLE,
    Counts,
    DocumentScore,
    Gold,
    GoldFormatError,
    InventedStatus,
    Miss,
    Totals,
    gold_from_json,
    score_document,
    totals,
    totals_by,
)
from explorer.resources import resource_root, vocab_dir

DEFAULT_GOLD_DIR = Path("tests/fixtures/gold")
DEFAULT_DOC_DIRS = (Path("tests/fixtures/real"), Path("tests/fixtures/policies"), Path("data/policies"))
FACT_ORDER = (STATEMENTS, IDENTIFIER, PAYER, TITLE, CODES, PMIDS, REFERENCES, HISTORY)


def project_path(path: Path) -> Path:
    """A relative default folder: from the working directory if it is there, else the checkout's."""
    if path.is_absolute() or path.exists():
        return path
    return resource_root() / path


def load_gold_dir(folder: Path) -> list[Gold]:
    """Every ``*.json`` gold file in ``folder`` (sorted); raises :class:`GoldFormatError` naming the file."""
    if not folder.is_dir():
        raise GoldFormatError(f"{folder}: gold folder not found")
    golds = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, json.JSONDecodeError) as exc:
            raise GoldFormatError(f"{path}: unreadable gold file: {exc}") from exc
        golds.append(gold_from_json(data, str(path)))
    return golds


def find_document(name: str, folders: Sequence[Path]) -> Path | None:
    """The first ``folder/name`` that is a file (a bare file name only: no path parts)."""
    if Path(name).name != name:
        return None
    return next((f / name for f in folders if (f / name).is_file()), None)


def _label_key(label: str) -> str:
    return " ".join(re.split(r"[\s,;/\-.]+", label.casefold())).strip()


@dataclass(frozen=True)
class PayerVocabulary:
    """Payer label/notation -> slug, and slug -> family (its skos:broader, else itself)."""

    slugs: dict[str, str]
    families: dict[str, str]

    def resolve(self, label: str) -> str | None:
        return self.slugs.get(_label_key(label))

    def family(self, slug: str) -> str:
        return self.families.get(slug, slug)


@cache
def load_payer_vocabulary(path: Path | None = None) -> PayerVocabulary:
    """Read ``data/vocab/payers.ttl`` (skos:notation, prefLabel, altLabel, hiddenLabel, broader)."""
    from rdflib.namespace import RDF, SKOS

    from explorer.vocab import read_turtle

    graph = read_turtle(path or vocab_dir() / "payers.ttl")

    def local(iri: object) -> str:
        return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    slugs: dict[str, str] = {}
    families: dict[str, str] = {}
    for concept in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):
        slug = local(concept)
        names = [slug] + [
            str(o)
            for p in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
            for o in graph.objects(concept, p)
        ]
        for name in names:
            slugs.setdefault(_label_key(name), slug)
        broader = sorted(local(b) for b in graph.objects(concept, SKOS.broader))
        if broader:
            families[slug] = broader[0]
    return PayerVocabulary(slugs, families)


Parse = Callable[[Path], Any]


def _parse_with_ingest(path: Path) -> Any:
    from explorer.ingest import parse_policy_file

    return parse_policy_file(path)


def _readable_text(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeError):
        return None
    return None if "\x00" in text else text


@dataclass
class FidelityReport:
    gold_dir: str
    document_dirs: list[str]
    scores: list[DocumentScore] = field(default_factory=list)
    families: dict[str, str] = field(default_factory=dict)
    """Scored file -> payer family."""
    gold_errors: list[str] = field(default_factory=list)
    """Problems of the gold files (missing documents, quotes not found): fix the gold, not the parser."""
    notes: list[str] = field(default_factory=list)
    """Things worth knowing that are nobody's error yet (e.g. a gold payer the vocabulary lacks)."""

    @property
    def overall(self) -> Totals:
        return totals(self.scores)

    @property
    def by_family(self) -> dict[str, Totals]:
        return totals_by(self.scores, lambda s: self.families.get(s.file, s.payer))

    @property
    def invented(self) -> list[InventedStatus]:
        return [i for s in self.scores for i in s.invented]

    @property
    def misses(self) -> list[Miss]:
        order = {f: i for i, f in enumerate(FACT_ORDER)}
        every = [m for s in self.scores for m in s.misses]
        return sorted(every, key=lambda m: (order.get(m.fact, 99), m.kind, m.file))

    def to_json(self) -> dict[str, Any]:
        return {
            "gold_dir": self.gold_dir,
            "document_dirs": self.document_dirs,
            "documents": [{**s.to_json(), "family": self.families.get(s.file, s.payer)} for s in self.scores],
            "overall": self.overall.to_json(),
            "families": {k: t.to_json() for k, t in self.by_family.items()},
            "failures": [{"file": s.file, "error": s.error} for s in self.scores if s.error],
            "gold_errors": list(self.gold_errors),
            "notes": list(self.notes),
            "invented_statuses": [i.to_json() for i in self.invented],
            "misses": [m.to_json() for m in self.misses],
        }


def run_fidelity(
    gold_dir: Path = DEFAULT_GOLD_DIR,
    doc_dirs: Sequence[Path] = (),
    *,
    parse: Parse | None = None,
    payers: PayerVocabulary | None = None,
) -> FidelityReport:
    """Score every gold file in ``gold_dir`` against the parser's facts for its document.

    Documents are looked up by the gold's ``file`` in ``doc_dirs`` then the default folders. A
    document the parser refuses (or crashes on) is scored as nothing found, with its error.
    """
    parse = parse or _parse_with_ingest
    payers = payers or load_payer_vocabulary()
    gold_dir = project_path(gold_dir)
    folders = [*doc_dirs, *(project_path(d) for d in DEFAULT_DOC_DIRS)]
    report = FidelityReport(str(gold_dir), [str(f) for f in folders])
    for gold in load_gold_dir(gold_dir):
        if gold.payer is not None and payers.resolve(gold.payer) != gold.payer:
            note = f"payer {gold.payer!r} is not in data/vocab/payers.ttl: no parser label can match it"
            if note not in report.notes:
                report.notes.append(note)
        path = find_document(gold.file, folders)
        if path is None:
            report.gold_errors.append(f"{gold.source}: document {gold.file!r} not found (not scored)")
            continue
        facts, error, text = None, None, None
        try:
            facts = parse(path)
        except Exception as exc:  # a refused or crashing parse is a measurement, never a crash
            from explorer.errors import PolicyParseError

            if isinstance(exc, PolicyParseError):
                reason = (f"line {exc.line}: " if exc.line else "") + exc.reason
            else:
                reason = f"{type(exc).__name__}: {exc}"
            error = " ".join(str(reason).split()) or type(exc).__name__
            text = _readable_text(path)
        score = score_document(facts, gold, resolve_payer=payers.resolve, error=error, text=text)
        report.scores.append(score)
        report.families[score.file] = payers.family(gold.payer or "?")
        report.gold_errors += [f"{gold.source}: {e.split(': ', 1)[1]}" for e in score.gold_errors]
    return report


# --- text rendering ---------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    if x is None:
        return "-"
    shown = f"{x * 100:.0f}"
    return "99" if shown == "100" and x < 1 else shown


def _rp(c: Counts | None) -> str:
    return "-" if c is None else f"{_pct(c.recall)}/{_pct(c.precision)}"


def _ok(v: bool | None) -> str:
    return "-" if v is None else ("ok" if v else "NO")


_HEAD = ["id", "payer", "title", "stmt R/P", "invented", "codes R/P", "PMID R/P", "refs5%", "history"]


def _doc_row(s: DocumentScore) -> list[str]:
    c = s.checks
    return [
        _ok(c.get(IDENTIFIER)),
        _ok(c.get(PAYER)),
        _ok(c.get(TITLE)),
        _rp(s.counts.get(STATEMENTS)),
        str(len(s.invented)) if STATEMENTS in s.counts else "-",
        _rp(s.counts.get(CODES)),
        _rp(s.counts.get(PMIDS)),
        _ok(c.get(REFERENCES)),
        _ok(c.get(HISTORY)),
    ]


def _totals_row(t: Totals) -> list[str]:
    return [
        _pct(t.share(IDENTIFIER)),
        _pct(t.share(PAYER)),
        _pct(t.share(TITLE)),
        _rp(t.counts[STATEMENTS]),
        str(t.invented),
        _rp(t.counts[CODES]),
        _rp(t.counts[PMIDS]),
        _pct(t.share(REFERENCES)),
        _pct(t.share(HISTORY)),
    ]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def _cut(name: str, width: int = 48) -> str:
    return name if len(name) <= width else name[: width - 3] + "..."


def format_report(report: FidelityReport, misses: int = 0) -> str:
    """The per-document table with an overall row, the per-family table, failures, invented statuses,
    gold-file errors and (``misses`` > 0) the first misses."""
    n = len(report.scores)
    out = [f"fidelity against {n} gold file{'' if n == 1 else 's'} in {report.gold_dir}"]
    if report.scores:
        rows = [["document", *_HEAD]] + [
            [_cut(s.file) + (" (refused)" if s.error else ""), *_doc_row(s)] for s in report.scores
        ]
        rows.append(["overall (micro, %)", *_totals_row(report.overall)])
        out += ["", *_table(rows)]
        fam = [["payer family", "docs", "refused", *_HEAD]]
        fam += [[k, str(t.documents), str(t.failed), *_totals_row(t)] for k, t in report.by_family.items()]
        out += ["", *_table(fam)]
    out.append("")
    out.append(
        "ok/NO: right or wrong; R/P: recall/precision in %; families and overall: % of documents right "
        "for id, payer, title, refs (within 5%) and history; '-': not in the gold or nothing to divide."
    )
    failures = [s for s in report.scores if s.error]
    if failures:
        out += ["", f"refused by the parser ({len(failures)}, scored as nothing found):"]
        out += [f"  {s.file}: {s.error}" for s in failures]
    invented = report.invented
    out += ["", f"invented statuses: {len(invented)} (target 0)"]
    out += [
        f"  {i.file} {i.start}-{i.end}: {i.status} where gold says {'/'.join(i.gold_statuses)}: {i.quote!r}"
        for i in invented
    ]
    if report.gold_errors:
        out += ["", f"GOLD FILE ERRORS ({len(report.gold_errors)}; fix the gold files):"]
        out += [f"  {e}" for e in report.gold_errors]
    if report.notes:
        out += ["", "notes:", *(f"  {n}" for n in report.notes)]
    all_misses = report.misses
    if misses and all_misses:
        out += [
            "",
            f"misses (first {min(misses, len(all_misses))} of {len(all_misses)}; "
            "missed = gold not found, extra = extracted not in gold):",
        ]
        out += [f"  {m.fact:<15} {m.kind:<6} {m.file}: {m.value}" for m in all_misses[:misses]]
    else:
        out += ["", f"{len(all_misses)} misses (list them with --misses N)"]
    return "\n".join(out)
