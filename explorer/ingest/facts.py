"""Facts extracted from one policy document: the contract between ingest, model and `show`.

Every fact carries a :class:`Span` into the verbatim document text, with the invariant
``document[span.start:span.end] == span.quote``.  The dataclasses are frozen and hold only
plain values (str, int, bool, tuples) so they compare by value, serialize to JSON with
:func:`facts_to_json`, and round-trip through RDF (see ``explorer.model``).

Controlled values are vocabulary slugs (see ``data/vocab``):

- status: ``medically-necessary`` | ``investigational`` | ``not-medically-necessary`` | any other
  all-caps status slugged (``cosmetic``, ``not-covered``, ...)
- setting: ``inpatient`` | ``outpatient`` (others slugged)
- code system: ``CPT`` | ``HCPCS`` | ``ICD-10-CM`` | ``ICD-10-PCS``
- dates: ISO strings, ``YYYY-MM`` or ``YYYY-MM-DD``
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """Character offsets into the verbatim document and the quoted text."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Condition:
    """A condition a statement puts on coverage.

    ``kind`` is a slug naming what the condition is about; ``prior-treatment-status`` means
    "the prior treatment (``subject``, e.g. allogeneic HCT) was itself ``required_status``".
    Other conditions have kind ``text`` and only their text.
    """

    text: str
    kind: str = "text"
    subject: str | None = None
    required_status: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class DiseaseMention:
    """A disease named in the text, resolved to a disease taxonomy slug (``data/vocab/diseases.ttl``)."""

    disease: str
    span: Span


@dataclass(frozen=True)
class Criterion:
    """One criterion a statement lists ("Individual with stage I-IV cancer after surgery"), with
    the criteria nested under it; ``logic`` says how those combine ("all-of" | "any-of"), None for
    a criterion without nested ones."""

    text: str
    span: Span
    logic: str | None = None
    items: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A coverage statement: one status for one service, scoped by indications and conditions."""

    number: int
    status: str
    status_label: str
    service: str
    text: str
    span: Span
    indications: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    diseases: tuple[DiseaseMention, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    """The criteria the statement lists (bullets under "when ALL of the following"), in order."""
    criteria_logic: str | None = None
    """How ``criteria`` combine: "all-of" | "any-of"; None when the statement lists none."""


@dataclass(frozen=True)
class PriorAuthorization:
    """Whether prior authorization is required: for one plan product in one care setting (a table
    cell), or as a sentence states it for the products or the line of business it names, otherwise
    for the whole policy (``product`` and ``setting`` None); ``reviewer`` is the vendor the
    sentence names ("through Carelon")."""

    product: str | None
    setting: str | None
    required: bool | None
    span: Span
    note: str | None = None
    line_of_business: str | None = None
    reviewer: str | None = None

    @property
    def scope(self) -> str:
        """``cell`` (product and setting), ``product``, ``line-of-business`` or ``policy``."""
        if self.product is not None:
            return "cell" if self.setting is not None else "product"
        return "line-of-business" if self.line_of_business is not None else "policy"


@dataclass(frozen=True)
class Code:
    """A billing or diagnosis code listed by the policy."""

    system: str
    code: str
    description: str
    span: Span


@dataclass(frozen=True)
class CodeMention:
    """A code a statement or criterion sentence names in prose ("... 0239U is investigational"):
    kept apart from the codes the policy lists. ``statement`` is the statement's number;
    ``criterion`` the positions (from 1) of the criterion in the statement's criteria tree, empty
    when the statement's own sentence names the code."""

    system: str
    code: str
    span: Span
    statement: int
    criterion: tuple[int, ...] = ()


@dataclass(frozen=True)
class NamedTest:
    """A proprietary test the policy names with its PLA code (``0364U``), read from the code
    table (``explorer.ingest.named_tests``): its name as printed, trademark signs dropped, the
    laboratory or manufacturer the policy names (None when it names none), and the name's span."""

    name: str
    code: str
    span: Span
    lab: str | None = None


@dataclass(frozen=True)
class HistoryEvent:
    """A row of the policy history table; ``end`` is set for a date range."""

    date: str
    action: str
    span: Span
    end: str | None = None


@dataclass(frozen=True)
class PolicyDate:
    """A date the policy's header gives: ``kind`` is effective, published, revised, reviewed,
    next-review or original; ``date`` is ISO (``2025-04-16``, ``2023-12``)."""

    kind: str
    date: str
    span: Span


@dataclass(frozen=True)
class Reference:
    """A numbered bibliographic reference."""

    number: int
    text: str
    span: Span
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None
    date: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pmid: str | None = None
    url: str | None = None
    topics: tuple[str, ...] = ()
    doi: str | None = None
    """The DOI printed in the entry (``10.3389/fonc.2024.1436588``), without a ``doi:`` or URL prefix."""
    pmcid: str | None = None
    """The PubMed Central ID printed in the entry (``PMC10870111``)."""


@dataclass(frozen=True)
class Citation:
    """An in-text citation marker (e.g. a superscript ¹) linking a sentence to a reference."""

    reference: int
    marker: str
    span: Span
    sentence: Span


@dataclass(frozen=True)
class Figure:
    """A figure reported in the text, e.g. "40% to 60%" of patients develop GVHD."""

    label: str
    low: float
    high: float
    unit: str
    span: Span


@dataclass(frozen=True)
class EvidenceAssessment:
    """An evidence summary paragraph: what the evidence includes, outcomes, conclusion."""

    text: str
    conclusion: str
    span: Span
    population: str | None = None
    intervention: str | None = None
    evidence_types: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A top-level section of the document with its character range."""

    name: str
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class PolicyFacts:
    """Everything extracted from one policy document."""

    payer: str
    number: str
    title: str
    text: str
    path: str
    sha256: str
    sections: tuple[Section, ...]
    bcbsa_reference: str | None = None
    ncd_lcd: str | None = None
    identifier: str | None = None  # the payer's identifier as printed; None when the document prints none
    family: str | None = None  # the layout profile that read it (data/formats)
    related_policies: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()
    statements: tuple[Statement, ...] = ()
    prior_authorization: tuple[PriorAuthorization, ...] = ()
    codes: tuple[Code, ...] = ()
    code_mentions: tuple[CodeMention, ...] = ()
    named_tests: tuple[NamedTest, ...] = ()
    history: tuple[HistoryEvent, ...] = ()
    dates: tuple[PolicyDate, ...] = ()
    references: tuple[Reference, ...] = ()
    citations: tuple[Citation, ...] = ()
    figures: tuple[Figure, ...] = ()
    evidence: tuple[EvidenceAssessment, ...] = ()
    diseases: tuple[DiseaseMention, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # the source file, set together by the reader (explorer.read); None for text parsed directly
    source_name: str | None = None  # the file's name, never its directory
    media_type: str = "text/plain"  # text/plain | text/markdown | application/pdf | text/html
    original_sha256: str | None = None  # SHA-256 of the file's bytes (sha256 is the text of record's)
    source_url: str | None = None  # where the document was fetched from, if a manifest beside it says so
    retrieved: str | None = None  # when (ISO date or date-time), likewise


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else asdict(span)


def _criterion(c: Criterion) -> dict[str, Any]:
    return {"text": c.text, "logic": c.logic, "source": _span(c.span), "items": [_criterion(i) for i in c.items]}


def facts_to_json(facts: PolicyFacts, iri: str, statement_iris: dict[int, str]) -> dict[str, Any]:
    """The documented ``show --format json`` contract for one policy."""
    return {
        "policy": {
            "iri": iri,
            "payer": facts.payer,
            "number": facts.number,
            "identifier": facts.identifier,
            "family": facts.family,
            "title": facts.title,
            "bcbsa_reference": facts.bcbsa_reference,
            "ncd_lcd": facts.ncd_lcd,
            "related_policies": list(facts.related_policies),
            "source": {"path": facts.path, "sha256": facts.sha256, "name": facts.source_name,
                       "media_type": facts.media_type, "original_sha256": facts.original_sha256,
                       "url": facts.source_url, "retrieved": facts.retrieved},
        },
        "applies_to": list(facts.applies_to),
        "statements": [
            {
                "iri": statement_iris.get(s.number),
                "number": s.number,
                "status": s.status,
                "service": s.service,
                "text": s.text,
                "indications": list(s.indications),
                "conditions": [c.text for c in s.conditions],
                "diseases": sorted({d.disease for d in s.diseases}),
                "criteria": [_criterion(c) for c in s.criteria],
                "criteria_logic": s.criteria_logic,
                "source": _span(s.span),
            }
            for s in facts.statements
        ],
        "prior_authorization": [
            {
                "product": p.product,
                "setting": p.setting,
                "required": p.required,
                "note": p.note,
                "scope": p.scope,
                "line_of_business": p.line_of_business,
                "reviewer": p.reviewer,
                "source": _span(p.span),
            }
            for p in facts.prior_authorization
        ],
        "codes": [
            {"system": c.system, "code": c.code, "description": c.description, "source": _span(c.span)}
            for c in facts.codes
        ],
        "code_mentions": [
            {"system": m.system, "code": m.code, "statement": m.statement, "criterion": list(m.criterion),
             "source": _span(m.span)}
            for m in facts.code_mentions
        ],
        "named_tests": [
            {"name": t.name, "code": t.code, "lab": t.lab, "source": _span(t.span)} for t in facts.named_tests
        ],
        "dates": [{"kind": d.kind, "date": d.date, "source": _span(d.span)} for d in facts.dates],
        "history": [
            {"date": h.date, "end": h.end, "action": h.action, "source": _span(h.span)}
            for h in facts.history
        ],
        "references": [
            {
                "number": r.number,
                "pmid": r.pmid,
                "authors": list(r.authors),
                "title": r.title,
                "journal": r.journal,
                "year": r.year,
                "volume": r.volume,
                "issue": r.issue,
                "pages": r.pages,
                "url": r.url,
                "doi": r.doi,
                "pmcid": r.pmcid,
                "topics": list(r.topics),
                "source": _span(r.span),
            }
            for r in facts.references
        ],
        "citations": [
            {"reference": c.reference, "marker": c.marker, "source": _span(c.sentence)}
            for c in facts.citations
        ],
        "figures": [
            {"label": f.label, "low": f.low, "high": f.high, "unit": f.unit, "source": _span(f.span)}
            for f in facts.figures
        ],
        "evidence": [
            {
                "text": e.text,
                "conclusion": e.conclusion,
                "outcomes": list(e.outcomes),
                "source": _span(e.span),
            }
            for e in facts.evidence
        ],
    }
