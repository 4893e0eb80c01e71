"""Read any payer's medical policy: identity, statements, codes, references and history.

The pipeline is the same for every family; the family's profile (``data/formats/*.toml``) says
what its headings and identity lines look like.  What cannot be found is a warning, never a
guess: a policy with no recognised statement is ingested with its identity and whatever else was
found, and says so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from explorer.ingest.code_mentions import code_mentions
from explorer.ingest.facts import (
    Code,
    DiseaseMention,
    HistoryEvent,
    PolicyFacts,
    Reference,
    Section,
)
from explorer.ingest.generic_codes import parse_code_tables, parse_labelled_codes
from explorer.ingest.generic_dates import header_dates
from explorer.ingest.generic_references import parse_history_dates, reference_entries, references_from
from explorer.ingest.generic_statements import find_statements, renumbered
from explorer.ingest.prior_auth_sentences import find_prior_authorization
from explorer.ingest.profiles import Profile
from explorer.ingest.sections import Block, LaidOutDocument, find_sections
from explorer.vocab.lexicon import Lexicon

_SECTION_NAMES = {"policy": "policy", "coding": "coding", "references": "references", "history": "policy-history"}


def parse_generic(text: str, path: str, sha256: str, profile: Profile, lexicon: Lexicon) -> PolicyFacts:
    """Every fact this family's layout lets us find; warnings for what it does not."""
    doc = LaidOutDocument(text, path, profile)
    blocks = find_sections(doc, profile)
    warnings: list[str] = []
    identifier = _identifier(text, profile)
    title = _title(text, profile) or _fallback_title(doc)
    payer = _payer(text, profile, lexicon)
    if identifier is None:
        warnings.append("no policy identifier printed: the policy is keyed by its title")
    number = identifier or _title_key(title)
    by_kind = {kind: [b for b in blocks if b.kind == kind] for kind in ("policy", "coding", "references", "history")}
    for kind, label in (("policy", "coverage statements"), ("coding", "code table"), ("references", "reference list"),
                        ("history", "history")):
        if not by_kind[kind]:
            warnings.append(f"no {label} section recognised")
    policy_blocks = _before_appendix(blocks, by_kind["policy"])
    lead_in_blocks = _before_appendix(blocks, [b for b in blocks if b.kind == "other"])
    statements = list(find_statements(doc, policy_blocks, title, lexicon))
    statements += renumbered(find_statements(doc, lead_in_blocks, title, lexicon, lead_ins_only=True), len(statements))
    if by_kind["policy"] and not statements:
        warnings.append("policy section found but no coverage statement in it")
    codes: list[Code] = []
    for block in _code_tables(blocks):
        codes += parse_code_tables(doc, block.body, block.end)
    if profile.codes_in_policy_sections:
        for block in policy_blocks:
            codes += parse_labelled_codes(doc, block.body, block.end)
    codes = _unique_codes(codes)
    if by_kind["coding"] and not codes:
        warnings.append("code section found but no code in it")
    references = _references(doc, by_kind["references"])
    if by_kind["references"] and not references:
        warnings.append("reference section found but no reference parsed")
    history: list[HistoryEvent] = []
    for block in by_kind["history"]:
        history += parse_history_dates(doc, block.body, block.end)
    dates = header_dates(doc, profile.dates)
    applies_to = _lines_of_business(text, lexicon)
    diseases: list[DiseaseMention] = [m for s in statements for m in s.diseases]
    return PolicyFacts(
        payer=payer,
        number=number,
        title=title,
        text=text,
        path=path,
        sha256=sha256,
        sections=_sections(blocks),
        identifier=identifier,
        family=profile.name,
        statements=tuple(statements),
        codes=tuple(codes),
        code_mentions=code_mentions(doc, statements, codes),
        prior_authorization=tuple(find_prior_authorization(doc, [(0, len(text))], lexicon)),
        history=tuple(_unique_history(history)),
        dates=tuple(dates),
        applies_to=applies_to,
        references=tuple(references),
        diseases=tuple(diseases),
        warnings=tuple(warnings),
    )


def _code_tables(blocks: list[Block]) -> list[Block]:
    """The coding sections, and the tables continuing one under a "Description" column heading
    (Kaiser's "CPT® or HCPC Codes / Description" tables, one per test, after "Applicable Codes")."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "coding" or (out and out[-1] is _previous(blocks, block) and block.kind == "other"
                                      and block.heading.strip().lower() == "description"):
            out.append(block)
    return out


def _previous(blocks: list[Block], block: Block) -> Block | None:
    i = blocks.index(block)
    return blocks[i - 1] if i else None


def _references(doc: LaidOutDocument, blocks: list[Block]) -> list[Reference]:
    """Every reference section's entries; where one list is numbered, only the long numbered lists
    count (a table column headed "Reference", with its numbered notes, is not a bibliography)."""
    entries = [reference_entries(doc, b.body, b.end) for b in blocks]
    lists = [references_from(doc, found) for found in entries]
    numbered = [refs for refs, found in zip(lists, entries, strict=True) if any(n is not None for *_, n in found)]
    longest = max((len(refs) for refs in numbered), default=0)
    numbered = [refs for refs in numbered if len(refs) * 2 >= longest]  # not a table's short numbered notes
    chosen = numbered or lists
    out: list[Reference] = []
    for refs in chosen:
        offset = len(out) if not numbered else 0
        out += [replace(r, number=r.number + offset) if offset else r for r in refs]
    return _unique_references(out)


def _unique_references(refs: list[Reference]) -> list[Reference]:
    """Reference numbers are unique per policy (a second numbered list continues the first)."""
    out: list[Reference] = []
    seen: set[int] = set()
    for r in refs:
        number = r.number
        while number in seen:
            number += 1
        seen.add(number)
        out.append(r if number == r.number else replace(r, number=number))
    return out


_LOB_LABEL = re.compile(r"(?im)^[ \t]*(?:Applicable\s+)?Lines?\s+of\s+Business\s*:[ \t]*")


def _lines_of_business(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The lines of business a header names ("Line of Business: Commercial"; Geisinger's
    "Applicable line of business: Commercial x Medicaid x ..."), as vocabulary labels."""
    m = _LOB_LABEL.search(text[:20_000])
    if m is None:
        return ()
    value = text[m.end() : m.end() + 300].split("\n\n")[0]
    value = re.split(r"\n\s*\n|\n\s*[A-Z][^\n:]{2,40}:", value)[0]
    return tuple(dict.fromkeys(match.term.label for match in lexicon.lines_of_business.find(" ".join(value.split()))))


_APPENDIX = re.compile(r"(?i)^appendix\b")


def _before_appendix(blocks: list[Block], policy: list[Block]) -> list[Block]:
    """Policy sections before the first appendix: guidelines an appendix repeats are not new statements."""
    start = next((b.start for b in blocks if _APPENDIX.match(b.heading.strip())), None)
    return policy if start is None else [b for b in policy if b.start < start]


def _first(patterns: tuple[re.Pattern[str], ...], text: str, group: str) -> str | None:
    for pattern in patterns:
        m = pattern.search(text)
        if m is not None:
            value = " ".join(m.group(group).split()).strip(" ,;:-")
            if value:
                return value
    return None


def _identifier(text: str, profile: Profile) -> str | None:
    return _first(profile.identifier, text, "id")


def _title(text: str, profile: Profile) -> str | None:
    title = _first(profile.title, text, "title")
    return None if title is None else title[:300]


def _fallback_title(doc: LaidOutDocument) -> str:
    """The first line of the document that reads like a title (a policy always has one)."""
    for line in doc.lines:
        text = " ".join(line.stripped.split())
        if 4 <= len(text) <= 150 and line.number not in doc.noise and any(c.isalpha() for c in text):
            return text
    return "Untitled policy"


def _title_key(title: str) -> str:
    from explorer.vocab import slug

    return slug(title)[:80]


def _payer(text: str, profile: Profile, lexicon: Lexicon) -> str:
    """The payer's label from the registry: the family's payer, else the first payer the text names."""
    if profile.payer is not None:
        term = next((t for t in lexicon.payers if t.slug == profile.payer), None)
        if term is not None:
            return term.label
    for match in lexicon.payers.find(" ".join(text[:5000].split())):
        return match.term.label
    return "Unknown payer"


def _unique_codes(codes: list[Code]) -> list[Code]:
    out: dict[tuple[str, str], Code] = {}
    for code in codes:
        out.setdefault((code.system, code.code), code)
    return list(out.values())


def _unique_history(events: list[HistoryEvent]) -> list[HistoryEvent]:
    out: dict[str, HistoryEvent] = {}
    for event in events:
        out.setdefault(event.date, event)
    return sorted(out.values(), key=lambda e: e.date)


def _sections(blocks: list[Block]) -> tuple[Section, ...]:
    """The named sections (first of each kind) in the model's vocabulary of section names."""
    out: dict[str, Section] = {}
    for block in blocks:
        name = _SECTION_NAMES.get(block.kind)
        if name is not None and name not in out:
            out[name] = Section(name=name, heading=" ".join(block.heading.split()), start=block.start, end=block.end)
    return tuple(out.values())
