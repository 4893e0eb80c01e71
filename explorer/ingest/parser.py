"""Parse one policy document (web or PDF text rendering) into :class:`PolicyFacts`."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path, PurePath

from explorer.errors import PolicyParseError
from explorer.ingest.codes import parse_codes
from explorer.ingest.evidence import parse_citations, parse_evidence, parse_figures
from explorer.ingest.facts import (
    Citation,
    Code,
    DiseaseMention,
    EvidenceAssessment,
    Figure,
    HistoryEvent,
    PolicyFacts,
    PriorAuthorization,
    Reference,
    Section,
)
from explorer.ingest.generic import parse_generic
from explorer.ingest.header import parse_header
from explorer.ingest.history import parse_history
from explorer.ingest.layout import SECTION_KINDS, body_start, split_sections
from explorer.ingest.named_tests import named_tests
from explorer.ingest.prior_auth import parse_applies_to, parse_prior_authorization
from explorer.ingest.profiles import detect_profile
from explorer.ingest.references import parse_references
from explorer.ingest.source_manifest import source_of
from explorer.ingest.statements import disease_mentions, parse_statements
from explorer.ingest.status_phrases import load_status_phrases
from explorer.ingest.text import Document
from explorer.read import MAX_DOCUMENT_BYTES, SourceDocument, read_bytes, read_document
from explorer.vocab.lexicon import Lexicon, load_lexicon

_OPTIONAL = ("prior-authorization", "coding", "description", "summary", "policy-history", "references")


def parse_policy_file(path: str | Path, lexicon: Lexicon | None = None) -> PolicyFacts:
    """Read a policy file (.txt .md .pdf .html, see :mod:`explorer.read`) and parse its text of record.

    Errors name the path as given; the facts keep the file's name only (``path`` and
    ``source_name``), so the same file gives the same facts and graph on any machine.
    """
    facts = _parse_source(read_document(path), str(path), lexicon)
    source, problem = source_of(Path(path), facts.original_sha256)
    if source is not None:
        facts = replace(facts, source_url=source.url, retrieved=source.retrieved)
    if problem:
        facts = replace(facts, warnings=(*facts.warnings, problem))
    return facts


def parse_policy_bytes(data: bytes, path: str = "<bytes>", lexicon: Lexicon | None = None) -> PolicyFacts:
    """Read a document given as bytes (format by content, then by ``path``'s suffix) and parse it."""
    try:
        doc = read_bytes(data, PurePath(path).name or path)
    except PolicyParseError as exc:
        raise PolicyParseError(exc.reason, path=path, line=exc.line, section=exc.section) from exc.__cause__
    return _parse_source(doc, path, lexicon)


def _parse_source(doc: SourceDocument, path: str, lexicon: Lexicon | None) -> PolicyFacts:
    facts = parse_policy(doc.text, path, lexicon, sha256=doc.sha256, damage=doc.damage)
    return replace(facts, path=doc.name, source_name=doc.name, media_type=doc.media_type,
                   original_sha256=doc.original_sha256)


def parse_policy(
    text: str,
    path: str = "<text>",
    lexicon: Lexicon | None = None,
    *,
    sha256: str | None = None,
    damage: str | None = None,
) -> PolicyFacts:
    """Every fact of one policy document; raises :class:`PolicyParseError` if it is not a policy.

    ``damage`` says the text is only what could be salvaged from a damaged file: the document is
    then read for whatever identity it still shows, with ``damage`` as its first warning.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise PolicyParseError(f"document is {len(text):,} characters; the limit is {MAX_DOCUMENT_BYTES:,}", path=path)
    if not text.strip():
        raise PolicyParseError("empty document", path=path, line=1)
    if "\x00" in text:
        raise PolicyParseError("binary data (NUL characters), not a text document", path=path,
                               line=text[: text.index("\x00")].count("\n") + 1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: possible in a str, never in a UTF-8 file
        raise PolicyParseError(f"not valid Unicode text (lone surrogate U+{ord(text[exc.start]):04X} at "
                               f"character {exc.start})", path=path,
                               line=text[: exc.start].count("\n") + 1) from None
    lexicon = lexicon or load_lexicon()
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    profile = detect_profile(text)
    if profile.parser == "bcbsma":
        try:
            return _with_named_tests(_parse_bcbsma(text, path, lexicon, sha256))
        except PolicyParseError:
            if not _is_policy(text):
                raise
    elif damage is None and not _is_policy(text):
        raise PolicyParseError("not a medical policy: no coverage language (medically necessary, "
                               "investigational, covered ...) anywhere in the text", path=path, line=1)
    facts = _with_named_tests(parse_generic(text, path, sha256, profile, lexicon))
    return facts if damage is None else replace(facts, warnings=(damage, *facts.warnings))


def _with_named_tests(facts: PolicyFacts) -> PolicyFacts:
    """The named tests the code table gives (``explorer.ingest.named_tests``)."""
    return replace(facts, named_tests=named_tests(facts.text, facts.codes))


def _is_policy(text: str) -> bool:
    """Whether the text speaks of coverage at all: a page of site navigation does not."""
    return load_status_phrases().mentions_any(text)


def _parse_bcbsma(text: str, path: str, lexicon: Lexicon, sha256: str) -> PolicyFacts:
    """The BCBS Massachusetts template: every section in its place (the seed's family)."""
    doc = Document(text, path)
    sections = split_sections(doc)
    by_name = {s.name: s for s in sections}
    header = parse_header(doc, by_name, lexicon)
    policy = by_name.get("policy")
    if policy is None:
        raise PolicyParseError("no 'Policy' section (the coverage statements)", path=path,
                               line=len(doc.lines), section="Policy")
    p_start = body_start(doc, policy)
    statements = parse_statements(doc, p_start, policy.end, lexicon)
    if not statements:
        raise PolicyParseError("the 'Policy' section has no coverage statement (no status such as "
                               "MEDICALLY NECESSARY or INVESTIGATIONAL)", path=path,
                               line=doc.line_at(policy.start), section="Policy")
    warnings = [f"optional section missing: {name}" for name in _OPTIONAL if name not in by_name]
    applies_to, _ = parse_applies_to(doc, p_start, policy.end, lexicon)
    if not applies_to:
        warnings.append("no member products found in the policy section")

    def rng(name: str) -> tuple[int, int] | None:
        s = by_name.get(name)
        return None if s is None else (body_start(doc, s), s.end)

    prior_auth: list[PriorAuthorization] = []
    codes: list[Code] = []
    history: list[HistoryEvent] = []
    references: list[Reference] = []
    figures: list[Figure] = []
    evidence: list[EvidenceAssessment] = []
    citations: list[Citation] = []
    if r := rng("prior-authorization"):
        prior_auth, w = parse_prior_authorization(doc, *r, lexicon, applies_to)
        warnings += w
    if r := rng("coding"):
        codes = parse_codes(doc, *r)
    if r := rng("policy-history"):
        history, w = parse_history(doc, *r)
        warnings += w
    if r := rng("references"):
        references, w = parse_references(doc, *r, lexicon)
        warnings += w
    prose = [r for r in (rng("description"), rng("summary")) if r]
    for r in prose:
        figures += parse_figures(doc, *r)
        evidence += parse_evidence(doc, *r)
        citations += parse_citations(doc, *r)
    known = {ref.number for ref in references}
    for c in citations:
        if c.reference not in known:
            warnings.append(f"citation marker {c.marker} at line {doc.line_at(c.span.start)} names no reference")
    diseases: list[DiseaseMention] = [m for s in statements for m in s.diseases]
    for r in prose:
        diseases += disease_mentions(doc.norm(*r), lexicon)
    return PolicyFacts(
        payer=header.payer,
        number=header.number,
        title=header.title,
        text=text,
        path=path,
        sha256=sha256,
        sections=_named(sections),
        identifier=header.number,
        family="bcbsma",
        bcbsa_reference=header.bcbsa_reference,
        ncd_lcd=header.ncd_lcd,
        related_policies=header.related_policies,
        applies_to=applies_to,
        statements=tuple(statements),
        prior_authorization=tuple(prior_auth),
        codes=tuple(codes),
        history=tuple(history),
        references=tuple(references),
        citations=tuple(citations),
        figures=tuple(figures),
        evidence=tuple(evidence),
        diseases=tuple(diseases),
        warnings=tuple(warnings),
    )


def _named(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    known = {k.name for k in SECTION_KINDS} | {"header"}
    return tuple(s for s in sections if s.name in known)
