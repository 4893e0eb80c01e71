"""Coverage statements of any payer's policy sections, with their criteria.

A statement is a sentence that decides (a status phrase of ``data/formats/_statuses.toml``, after
its verb and outside parentheses), in a policy section, or elsewhere when it leads into criteria.
Definitions, disclaimers, flattened table rows and word-for-word appendix repeats are not
statements.  The list items after a lead-in become its criteria tree (:mod:`explorer.ingest.criteria`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from explorer.ingest.criteria import criteria_tree, marker_end, marker_style
from explorer.ingest.facts import Criterion, Statement
from explorer.ingest.sections import Block, LaidOutDocument
from explorer.ingest.statements import disease_mentions
from explorer.ingest.status_phrases import StatusHit, StatusPhrases, load_status_phrases
from explorer.ingest.text import NormText, sentences
from explorer.vocab.lexicon import Lexicon

_BULLET_LINE = re.compile(r"^\s*(?:[•●▪◦o\-–*]\s|\(?(?:[ivx]{1,4}|[a-z]|\d{1,2}|[IVX]{1,4}|[A-Z])[.)]\s)")
_LABEL = re.compile(r"^(?P<label>[A-Z][^.:;]{0,80}?):\s+")
_MIN_WORDS = 5  # "2. It is not covered for" (Kaiser) decides in five
_ANAPHOR = re.compile(r"(?:It|This(?:\s+test)?|These(?:\s+tests)?|They|Such\s+tests?)\s+(?:is|are|was|were|may|will)\b")
_OWN_DECISION = re.compile(r"\b(?:is|are|be)\s+(?:not\s+)?(?:considered|deemed|covered)\b|\bnot\s+covered\s+per\b",
                           re.IGNORECASE)  # "... is considered ...", Kaiser's "*Not covered per MCG": decides by itself
# "Other Exclusions:": each list item under it is not covered
_EXCLUSIONS = re.compile(r"^\s*(?P<label>(?:Other\s+)?Exclusions?)\s*:?\s*$", re.IGNORECASE)
_REPEAT_MIN = 120  # a statement this long said again word for word (an appendix) is not a new one


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


_DECIDES = (r"\b(?:is|are)\s+(?:considered|deemed)\s+(?:to\s+be\s+)?(?:not\s+)?"
            r"(?:medically\s+necessary|investigational|experimental|not\s+covered)\b")
_DECIDING_LEAD_IN = re.compile(_DECIDES + r"[^:]*:\s*$", re.IGNORECASE)
# a unit none of whose sentences can be a deciding lead-in (most of the sections outside the policy's)
_MAY_LEAD_IN = re.compile(_DECIDES + r"[^:]*:", re.IGNORECASE)


def renumbered(statements: Iterator[Statement], after: int) -> list[Statement]:
    return [replace(s, number=after + k) for k, s in enumerate(statements, start=1)]


def find_statements(
    doc: LaidOutDocument, blocks: list[Block], service: str, lexicon: Lexicon, *, lead_ins_only: bool = False
) -> Iterator[Statement]:
    """Statements of the policy sections; with ``lead_ins_only``, of other sections only the
    sentences that decide and lead into criteria ("... is considered medically necessary when ALL
    of the following are true:"), as families that put criteria under topic headings do."""
    phrases = load_status_phrases()
    number = 0
    seen: set[tuple[int, int, str]] = set()
    said: set[tuple[str, str]] = set()  # (normalised text, status): a statement repeated in an appendix

    def emit(sentence: NormText, text: str, hits: list[StatusHit], criteria: tuple[Criterion, ...],
             logic: str | None, label: str | None = None) -> Iterator[Statement]:
        """One statement per status of ``hits`` (a sentence said again in an appendix is not new)."""
        nonlocal number
        span = sentence.span()
        for status in dict.fromkeys(h.status for h in hits):
            key = (span.start, span.end, status)
            again = (" ".join(text.lower().split()), status)
            if key in seen or (len(text) >= _REPEAT_MIN and again in said):
                continue
            seen.add(key)
            said.add(again)
            number += 1
            words = label or _status_words(text, [h for h in hits if h.status == status])
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

    for block in blocks:
        units = list(_units(doc, block.body, block.end))
        criteria_until = -1  # the end of the criteria of the last lead-in: its items decide nothing themselves
        excluded: str | None = None  # the "Other Exclusions:" label the list items now read under
        open_lead: tuple[int, NormText] | None = None  # a lead-in with no status, its list still open
        for k, (a, b) in enumerate(units):
            norm = doc.norm(a, b)
            if marker_style(_first_line(doc, a)) is None:  # not a list item: the open lead-in's list has ended
                if open_lead is not None and _THESE.match(norm.text) and not lead_ins_only:
                    yield from _named_after(doc, units, open_lead, norm, phrases, emit)
                open_lead = _lead_in_without_status(norm, phrases, k)
            label = _EXCLUSIONS.match(norm.text)
            if label is not None:
                excluded = label.group("label")
                continue
            if excluded is not None and marker_style(_first_line(doc, a)) is None:
                excluded = None
            if excluded is not None and not phrases.mentions_any(norm.text):
                item = doc.norm(a + marker_end(_first_line(doc, a)), b)  # "• Forensic testing for legal purposes"
                if (item.span().start, item.span().end, "not-covered") not in seen:
                    seen.add((item.span().start, item.span().end, "not-covered"))
                    number += 1
                    yield Statement(number=number, status="not-covered", status_label=excluded, service=service,
                                    text=item.text, span=item.span(), diseases=tuple(disease_mentions(item, lexicon)))
                continue
            if a < criteria_until and not _OWN_DECISION.search(norm.text):
                continue  # "• testing is not clinically appropriate ...": a condition of the lead-in, not a statement
            if lead_ins_only and not _MAY_LEAD_IN.search(norm.text):
                continue  # (its sentences are substrings of the unit: none would match _DECIDING_LEAD_IN)
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
                if hits and (_table_row(text, hits) or _only_status_words(text, hits)):
                    continue
                if not hits or (lead_ins_only and not (_DECIDING_LEAD_IN.search(text) and n == len(bounds) - 1)):
                    continue
                criteria: tuple[Criterion, ...] = ()
                logic: str | None = None
                if n == len(bounds) - 1 and norm.text.rstrip().endswith(":"):
                    criteria, logic = _criteria(doc, units, k, text)
                    criteria_until = max((c.span.end for c in criteria), default=-1)
                yield from emit(sentence, text, hits, criteria, logic)


_THESE = re.compile(
    r"^\W*(?:These|They|Such\s+tests|All\s+of\s+these)\s+(?:are|were|will\s+be)\s+(?:also\s+)?considered\b")


def _lead_in_without_status(norm: NormText, phrases: StatusPhrases, k: int) -> tuple[int, NormText] | None:
    """A unit ending in a lead-in that names no status ("Humana members may NOT be eligible under the
    Plan for ... including, but may not be limited to:"), as (unit index, its last sentence)."""
    if not norm.text.rstrip().endswith(":"):
        return None
    bounds = sentences(norm)
    if not bounds:
        return None
    last = _without_label(norm.slice(*bounds[-1]))
    if len(last.text.split()) < _MIN_WORDS or phrases.determinations(last.text):
        return None
    return k, last


def _named_after(
    doc: LaidOutDocument, units: list[tuple[int, int]], lead: tuple[int, NormText], after: NormText,
    phrases: StatusPhrases, emit: Callable[..., Iterator[Statement]],
) -> Iterator[Statement]:
    """The lead-in takes the status the sentence after its list gives it ("These are considered
    experimental/investigational as ..."), with the list as its criteria."""
    first = sentences(after)[:1]
    hits = phrases.determinations(after.slice(*first[0]).text) if first else []
    if not hits:
        return
    k, sentence = lead
    criteria, logic = _criteria(doc, units, k, sentence.text)
    yield from emit(sentence, sentence.text, hits, criteria, logic)


def _criteria(
    doc: LaidOutDocument, units: list[tuple[int, int]], k: int, lead_in: str
) -> tuple[tuple[Criterion, ...], str | None]:
    """The list items after unit ``k`` (a statement's lead-in) as a criteria tree."""
    own = marker_style(_first_line(doc, units[k][0]))
    items: list[tuple[int, int, str]] = []
    previous_upper: str | None = None
    following = units[k + 1 :]
    for n, (a, b) in enumerate(following):
        if _EXCLUSIONS.match(doc.norm(a, b).text):
            break  # "Other Exclusions:" starts a list of its own
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
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|be|been|considered|deemed|will|may|can|should|shall|must|does|do|"
                          r"has|have|meets?|covers?|requires?)\b", re.IGNORECASE)
_ROW_MIN = 350  # characters: a flattened table row, not a sentence
_ROW_STATUS_AT = 120


def _table_row(text: str, hits: list[StatusHit]) -> bool:
    """A long run of table cells (a vendor table: lab names, then "Not covered") whose status words
    have no verb before them, the first standing far in, several in a row ("... Not covered ...
    Not covered") or one alone before a verbless run of names, is a flattened table, not a
    sentence that decides."""
    return (
        len(text) > _ROW_MIN
        and (hits[0].start > _ROW_STATUS_AT or len(hits) > 1 or not _FINITE_VERB.search(text[hits[0].end :]))
        and not any(_FINITE_VERB.search(h.words) for h in hits)  # "There is insufficient evidence ..." is a clause
        and not any(_VERB_BEFORE.search(text[max(0, before.end, h.start - 40) : h.start])
                    for before, h in zip([_NONE, *hits[:-1]], hits, strict=True))
    )


_NONE = StatusHit("", 0, 0, "")


def _only_status_words(text: str, hits: list[StatusHit]) -> bool:
    """A label made of status words alone ("Investigational and Not Medically Necessary:") heads
    what follows; it decides nothing by itself."""
    rest = text
    for h in reversed(hits):
        rest = rest[: h.start] + " " + rest[h.end :]
    return not re.search(r"[^\W\d_]", re.sub(r"(?i)\b(?:and|or)\b", " ", rest))


_JOINER = re.compile(r"^(?:[\s,/]|\band\b|\bor\b)*$", re.IGNORECASE)


def _status_words(text: str, hits: list[StatusHit]) -> str:
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
