"""Read any payer's medical policy: identity, statements, codes, references and history.

The pipeline is the same for every family; the family's profile (``data/formats/*.toml``) says
what its headings and identity lines look like.  What cannot be found is a warning, never a
guess: a policy with no recognised statement is ingested with its identity and whatever else was
found, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from explorer.ingest.criteria import criteria_tree, marker_style
from explorer.ingest.facts import (
    Code,
    Criterion,
    DiseaseMention,
    HistoryEvent,
    PolicyFacts,
    Reference,
    Section,
    Span,
    Statement,
)
from explorer.ingest.generic_codes import parse_code_tables, parse_labelled_codes
from explorer.ingest.generic_dates import header_dates
from explorer.ingest.generic_references import parse_history_dates, parse_reference_list, reference_entries
from explorer.ingest.profiles import Profile
from explorer.ingest.sections import Block, LaidOutDocument, find_sections
from explorer.ingest.statements import disease_mentions
from explorer.ingest.status_phrases import load_status_phrases
from explorer.ingest.text import NormText, sentences
from explorer.vocab.lexicon import Lexicon

_BULLET_LINE = re.compile(r"^\s*(?:[•●▪◦o\-–*]\s|\(?(?:[ivx]{1,4}|[a-z]|\d{1,2}|[IVX]{1,4}|[A-Z])[.)]\s)")
_LABEL = re.compile(r"^(?P<label>[A-Z][^.:;]{0,80}?):\s+")
_MIN_WORDS = 6
_ANAPHOR = re.compile(r"(?:It|This(?:\s+test)?|These(?:\s+tests)?|They|Such\s+tests?)\s+(?:is|are|was|were|may|will)\b")
_REPEAT_MIN = 120  # a statement this long said again word for word (an appendix) is not a new one
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
    statements = list(_statements(doc, policy_blocks, title, lexicon))
    statements += _renumber(_statements(doc, lead_in_blocks, title, lexicon, lead_ins_only=True), len(statements))
    if by_kind["policy"] and not statements:
        warnings.append("policy section found but no coverage statement in it")
    codes: list[Code] = []
    for block in by_kind["coding"]:
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
        history=tuple(_unique_history(history)),
        dates=tuple(dates),
        applies_to=applies_to,
        references=tuple(references),
        diseases=tuple(diseases),
        warnings=tuple(warnings),
    )


def _references(doc: LaidOutDocument, blocks: list[Block]) -> list[Reference]:
    """Every reference section's entries; where one list is numbered, only the long numbered lists
    count (a table column headed "Reference", with its numbered notes, is not a bibliography)."""
    lists = [parse_reference_list(doc, b.body, b.end) for b in blocks]
    numbered = [refs for refs, b in zip(lists, blocks, strict=True) if _is_numbered(doc, b)]
    longest = max((len(refs) for refs in numbered), default=0)
    numbered = [refs for refs in numbered if len(refs) * 2 >= longest]  # not a table's short numbered notes
    chosen = numbered or lists
    out: list[Reference] = []
    for refs in chosen:
        offset = len(out) if not numbered else 0
        out += [replace(r, number=r.number + offset) if offset else r for r in refs]
    return _unique_references(out)


def _is_numbered(doc: LaidOutDocument, block: Block) -> bool:
    return any(n is not None for *_, n in reference_entries(doc, block.body, block.end))


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


def _units(doc: LaidOutDocument, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Paragraphs and list items of ``text[start:end]`` as document ranges (furniture skipped)."""
    unit_start: int | None = None
    unit_end = start
    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.end <= start or line.number in doc.noise:
            continue
        breaks = line.blank or _BULLET_LINE.match(line.text) is not None
        if breaks and unit_start is not None:
            yield unit_start, unit_end
            unit_start = None
        if line.blank:
            continue
        if unit_start is None:
            unit_start = max(line.start, start)
        unit_end = min(line.end, end)
        if line.text.rstrip().endswith(":"):
            yield unit_start, unit_end
            unit_start = None
    if unit_start is not None:
        yield unit_start, unit_end


_DECIDING_LEAD_IN = re.compile(
    r"\b(?:is|are)\s+(?:considered|deemed)\s+(?:to\s+be\s+)?(?:not\s+)?(?:medically\s+necessary|investigational|"
    r"experimental|not\s+covered)\b[^:]*:\s*$",
    re.IGNORECASE,
)


def _renumber(statements: Iterator[Statement], after: int) -> list[Statement]:
    return [replace(s, number=after + k) for k, s in enumerate(statements, start=1)]


def _statements(
    doc: LaidOutDocument, blocks: list[Block], service: str, lexicon: Lexicon, *, lead_ins_only: bool = False
) -> Iterator[Statement]:
    """Statements of the policy sections; with ``lead_ins_only``, of other sections only the
    sentences that decide and lead into criteria ("... is considered medically necessary when ALL
    of the following are true:"), as families that put criteria under topic headings do."""
    phrases = load_status_phrases()
    number = 0
    seen: set[tuple[int, int, str]] = set()
    said: set[tuple[str, str]] = set()  # (normalised text, status): a statement repeated in an appendix
    for block in blocks:
        units = list(_units(doc, block.body, block.end))
        for k, (a, b) in enumerate(units):
            norm = doc.norm(a, b)
            bounds = sentences(norm)
            for n, (i, j) in enumerate(bounds):
                own = _without_label(norm.slice(i, j)).text
                if n and _ANAPHOR.match(norm.text[i:j]):
                    i = bounds[n - 1][0]  # "It is considered ...": the sentence before names what "it" is
                sentence = _without_label(norm.slice(i, j))
                text = sentence.text
                if len(own.split()) < _MIN_WORDS or phrases.is_not_a_statement(own):
                    continue
                hits = [h for h in phrases.determinations(text) if h.start >= len(text) - len(own)]
                if hits and _table_row(text, hits[0].start):
                    continue
                if not hits or (lead_ins_only and not (_DECIDING_LEAD_IN.search(text) and n == len(bounds) - 1)):
                    continue
                span = sentence.span()
                criteria: tuple[Criterion, ...] = ()
                logic: str | None = None
                if n == len(bounds) - 1 and norm.text.rstrip().endswith(":"):
                    criteria, logic = _criteria(doc, units, k, text)
                for status in dict.fromkeys(h.status for h in hits):
                    key = (span.start, span.end, status)
                    again = (" ".join(text.lower().split()), status)
                    if key in seen or (len(text) >= _REPEAT_MIN and again in said):
                        continue
                    seen.add(key)
                    said.add(again)
                    number += 1
                    words = _status_words(text, [h for h in hits if h.status == status])
                    yield Statement(
                        number=number,
                        status=status,
                        status_label=" ".join(words.split()),
                        service=service,
                        text=text,
                        span=span,
                        diseases=tuple(dict.fromkeys(
                            disease_mentions(sentence, lexicon) + _criteria_diseases(doc, criteria, lexicon))),
                        criteria=criteria,
                        criteria_logic=logic if criteria else None,
                    )


def _criteria(
    doc: LaidOutDocument, units: list[tuple[int, int]], k: int, lead_in: str
) -> tuple[tuple[Criterion, ...], str | None]:
    """The list items after unit ``k`` (a statement's lead-in) as a criteria tree."""
    own = marker_style(_first_line(doc, units[k][0]))
    items: list[tuple[int, int, str]] = []
    previous_upper: str | None = None
    following = units[k + 1 :]
    for n, (a, b) in enumerate(following):
        line = _first_line(doc, a)
        style = marker_style(line, previous_upper)
        if style is None and _is_label(doc.text[a:b].strip(), following[n + 1 : n + 2], doc):
            style = "label:"  # "Multiple myeloma:" or "Breast Cancer" heads the items under it
        if style is None or style == own:
            break
        if style.startswith("UPPER"):
            previous_upper = line.strip()[:1]
        items.append((a, b, style))
    return criteria_tree(doc, lead_in, items) if items else ((), None)


_SUBHEAD = re.compile(r"^[A-Z][^\n.;]{1,80}:$")
_SHORT_LABEL = re.compile(r"^[A-Z][^\n.;:,]{1,50}$")


def _is_label(text: str, after: list[tuple[int, int]], doc: LaidOutDocument) -> bool:
    """A sub-heading of criteria: "Multiple myeloma:", or a short title ("Breast Cancer") with list
    items right after it."""
    if _SUBHEAD.match(text):
        return True
    return (bool(_SHORT_LABEL.match(text)) and len(text.split()) <= 6 and bool(after)
            and marker_style(_first_line(doc, after[0][0])) is not None)


def _criteria_diseases(doc: LaidOutDocument, criteria: tuple[Criterion, ...], lexicon: Lexicon) -> tuple:
    """The diseases a statement's criteria name ("Multiple myeloma: during surveillance ...")."""
    out: list = []
    for c in criteria:
        out += disease_mentions(doc.norm(c.span.start, c.span.end), lexicon)
        out += _criteria_diseases(doc, c.items, lexicon)
    return tuple(out)


def _first_line(doc: LaidOutDocument, offset: int) -> str:
    line = doc.lines[doc.line_at(offset) - 1]
    return doc.text[offset : line.end]


_VERB_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|considered|deemed|will|may|might|can|could|should|shall|must|does|do|"
    r"not|meets?|covers?)\b",
    re.IGNORECASE,
)
_ROW_MIN = 350  # characters: a flattened table row, not a sentence
_ROW_STATUS_AT = 120


def _table_row(text: str, status_at: int) -> bool:
    """A long run of table cells (a vendor table: lab names, then "Not covered") whose status word
    stands far in, with no verb before it, is a flattened table row, not a sentence that decides."""
    return (
        len(text) > _ROW_MIN
        and status_at > _ROW_STATUS_AT
        and not _VERB_BEFORE.search(text[max(0, status_at - 40) : status_at])
    )


_JOINER = re.compile(r"^(?:[\s,/]|\band\b|\bor\b)*$", re.IGNORECASE)


def _status_words(text: str, hits: list) -> str:
    """The document's own words for a status: a run of its phrases (``Experimental, Investigational,
    or Unproven``) joined only by commas, slashes, "and" or "or"."""
    first = last = hits[0]
    for hit in hits[1:]:
        if not _JOINER.match(text[last.end:hit.start]):
            break
        last = hit
    return text[first.start:last.end]


def _without_label(sentence: NormText) -> NormText:
    """A sentence without a leading run-in label such as ``Medically Necessary:``."""
    m = _LABEL.match(sentence.text)
    if m is None or len(sentence.text) - m.end() < 20:
        return sentence
    return sentence.slice(m.end(), len(sentence.text))


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


def _span(doc: LaidOutDocument, start: int, end: int) -> Span:
    return doc.span(start, end)
