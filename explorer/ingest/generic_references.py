"""Reference lists and history dates of any payer's policy.

References: numbered lists (``1.``, ``[1]``, ``1)``; the numbers must run in sequence, so a
wrapped line that starts with a number is not a new entry) or, unnumbered, one entry per
paragraph or per line that starts like an author.  PMIDs, DOIs, PMCIDs and URLs are read from each entry.
History: every date in a history section, normalised to ISO (``2024-05-09``, ``2019-04``), but
not a future "effective 01/01/2026" mentioned inside a row.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from explorer.ingest.facts import HistoryEvent, Reference
from explorer.ingest.generic_dates import DATE_PATTERNS, iso_date
from explorer.ingest.reference_ids import doi_of, pmcid_of
from explorer.ingest.text import Document, Line

_NUMBERED = re.compile(r"(?:(?<=\s)|^)(?:\[(?P<b>\d{1,4})\]|(?P<n>\d{1,4})[.)])\s+(?=\S)")
# "PMID: 36756860Rehm HL": the next entry may follow with no space
_PMID = re.compile(r"PMID\s*:?\s*(\d{4,9})(?!\d)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"']+")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)(?:[a-z]?\b)")  # "2012a": two papers of one author and year
_SURNAME = r"(?:(?:de|van|von|der|den|del|della|di|le|la)\s)*[A-Z](?:[A-Za-z'’\-]|&[a-z]+;)+"  # de Bono, Jim&eacute;nez
_AUTHOR_START = re.compile(rf"^{_SURNAME}(?:\s[A-Z][A-Za-z'’\-]+)?,?\s(?:[A-Z]{{1,3}}\b|[A-Z]\.)")
# Inside a run of text: an entry ends with a sentence (or a sub-list's "... Publications:") and the
# next starts with "Surname AB," or "Surname AB et al", or the previous one ended "Accessed on
# <date>." (web references).
_NEXT_ENTRY = re.compile(
    rf"(?<=[.?!:])\s+(?={_SURNAME}(?:\s[A-Z][A-Za-z'’\-]+)?\s[A-Z]{{1,3}}(?:,|\s+et\s+al\b|\.))"
    r"|\bAccessed on [A-Z][a-z]{2,8} \d{1,2}, \d{4}\.\s+(?=[A-Z])"
    # an entry that ends with its URL or DOI (no full stop after it: BCBS SC's unnumbered list)
    rf"|(?:https?://|\bdoi:\s?)\S+\s+(?={_SURNAME}(?:\s[A-Z][A-Za-z'’\-]+)?\s[A-Z]{{1,3}}(?:,|\s+et\s+al\b|\.))"
    # APA: "Surname, A. B., ..." or an organisation "Name. (2021"
    r"|(?<=[.?!])\s+(?=[A-Z][A-Za-z'’\-]+,\s(?:[A-Z]\.\s?){1,3}[,&(])"
    r"|(?<=[.?!])\s+(?=[A-Z][^.()]{1,80}\.\s\((?:19|20)\d{2}\b)"
    # an organisation with its abbreviation: "Centers for Medicare and Medicaid Services (CMS). MolDX: ..."
    r"|(?<=[.?!])\s+(?=[A-Z][^.()]{1,80}\s\([A-Z]{2,8}\)\.\s)"
)
# APA's date after the authors: "(2022).", "(2021, December).", "(12:2024)."
_APA_DATE = re.compile(r"\((?:\d{1,2}:)?(?:19|20)\d{2}[a-z]?(?:,\s*[A-Z][a-z]+\.?(?:\s+\d{1,2})?)?\s*\)\.")
_AUTHOR_TOKEN = re.compile(
    r"(?:[A-Z][\w'’\-&;.:]*,?|&|and|et|al\.?,?|de|van|von|der|den|del|della|di|le|la|for|of|the|on|in)"
)
_CONNECTOR = re.compile(r"(?:and|for|of|the|on|in)")  # inside an organisation's name, never its first word
_PERSON = re.compile(r"[A-Z][\w'’\-]+,")  # "Sposito," before "M.,"
_INITIALS = re.compile(r"(?:[A-Z]\.)+,?")
_AUTHOR_RUN_MAX = 80  # tokens: the longest author list read back from an APA date
# Not a reference: prose citing references ("(MDxHealth, 2019a)") or a copyright footer.
_NOT_AN_ENTRY = re.compile(r"\([A-Z][\w&.\s]{1,60},\s(?:19|20)\d{2}[a-z]?(?:[;,][^)]{0,80})?\)|©|All Rights Reserved")
# A document cited by its identifier has no year of its own: "MolDX: ... Colorectal Cancer L38290, L38779".
_DOCUMENT_ID = re.compile(r"\b[LA]\d{5}\b")
def reference_entries(doc: Document, start: int, end: int) -> list[tuple[int, int, int | None]]:
    """Entry ranges with the printed number (or None) of a reference list."""
    text = doc.text
    numbered: list[tuple[int, int]] = []  # (offset, number)
    expected = 1
    for m in _NUMBERED.finditer(text, start, end):
        n = int(m.group("b") or m.group("n"))
        if n == expected or (not numbered and n == 1):
            numbered.append((m.start(), n))
            expected = n + 1
    if len(numbered) >= 2:
        bounds = [o for o, _ in numbered] + [end]
        return [(bounds[k], bounds[k + 1], numbered[k][1]) for k in range(len(numbered))]
    out: list[tuple[int, int, int | None]] = []
    current: tuple[int, int] | None = None
    prev_ended = True
    for line in doc.lines[doc.line_at(start) - 1 :]:
        if line.start >= end:
            break
        if line.end <= start or line.number in doc.noise:
            continue
        if line.blank:
            if current:
                out.append((*current, None))
                current = None
            prev_ended = True
            continue
        a, b = max(line.start, start), min(line.end, end)
        new = current is None or (prev_ended and _AUTHOR_START.match(line.stripped) is not None)
        if new:
            if current:
                out.append((*current, None))
            current = (a, b)
        else:
            current = (current[0], b)  # type: ignore[index]
        prev_ended = line.stripped.endswith(".")
    if current:
        out.append((*current, None))
    split = [part for a, b, _ in out for part in _split_run(doc, a, b)]
    return [(a, b, None) for a, b in split if _is_entry(text[a:b])]


def _dated(text: str) -> bool:
    return bool(_YEAR.search(text) or _PMID.search(text))


def _is_entry(text: str) -> bool:
    """A reference has a year, a PMID or a document identifier, and is neither prose citing
    references nor a copyright footer."""
    return (_dated(text) or bool(_DOCUMENT_ID.search(text))) and not _NOT_AN_ENTRY.search(text)


def _split_run(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Entries run together in one paragraph (web text flattened to one line) split at author
    starts and before APA authors; a piece with no year of its own ("Medina A, ... myeloma." before
    "Blood Cancer J, 2020") begins the piece after it, never an entry by itself."""
    norm = doc.norm(start, end)
    found = {m.end() for m in _NEXT_ENTRY.finditer(norm.text)} | set(_apa_starts(norm.text))
    cuts = sorted({0, *found, len(norm.text)})
    pieces: list[tuple[int, int]] = []
    pending: int | None = None
    for i, j in zip(cuts, cuts[1:], strict=False):
        i = i if pending is None else pending
        if not _dated(norm.text[i:j]) and j < len(norm.text):
            pending = i
            continue
        pending = None
        pieces.append((i, j))
    out = []
    for i, j in pieces:
        span = norm.span(i, j)
        if span.quote:
            out.append((span.start, span.end))
    return out


def _apa_starts(text: str) -> list[int]:
    """Where APA entries start: before the authors read back from each "(2022)." (capitalised
    names, initials, "&", "et al."), up to the word that ends the entry before.  A date with no
    author before it ("... analysis. (2024). Journal ...") starts nothing.  Where the entry before
    ends mid-sentence with its publisher ("Retrieved ... from the National Comprehensive Cancer
    Network"), the entry starts at its first person or at the publisher's repeat."""
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    starts: list[int] = []
    k = 0
    for m in _APA_DATE.finditer(text):
        while k < len(tokens) and tokens[k][0] < m.start():
            k += 1
        run: list[tuple[int, str]] = []
        for offset, token in reversed(tokens[max(0, k - _AUTHOR_RUN_MAX) : k]):
            if not _AUTHOR_TOKEN.fullmatch(token):
                break
            run.append((offset, token))
        run.reverse()
        mid_sentence = bool(run) and bool(_CONNECTOR.fullmatch(run[0][1]))  # "... from the <publisher> <authors>"
        while run and _CONNECTOR.fullmatch(run[0][1]):
            run.pop(0)
        if not run or run[0][0] == 0:
            continue
        starts.append(run[_authors_after_publisher(run) if mid_sentence else 0][0])
    return starts


def _authors_after_publisher(run: list[tuple[int, str]]) -> int:
    """Where the authors start in a run that begins with the entry before's publisher: at a person
    ("Sposito, M., ..."), or at the repeat of the publisher as the next entry's author."""
    words = [t for _, t in run]
    for i in range(1, len(words) - 1):
        if _PERSON.fullmatch(words[i]) and _INITIALS.fullmatch(words[i + 1]):
            return i
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        return half
    return 0


def parse_reference_list(doc: Document, start: int, end: int, start_number: int = 1) -> list[Reference]:
    """The entries of a reference section, numbered as printed (or in order when unnumbered)."""
    return references_from(doc, reference_entries(doc, start, end), start_number)


def references_from(
    doc: Document, entries: list[tuple[int, int, int | None]], start_number: int = 1
) -> list[Reference]:
    """:class:`Reference` facts for entry ranges found by :func:`reference_entries`."""
    out: list[Reference] = []
    for k, (a, b, printed) in enumerate(entries):
        span = doc.span(a, b)
        body = " ".join(doc.norm(span.start, span.end).text.split()) if span.quote else ""
        if not body:
            continue
        pmid = _PMID.search(body)
        url = _URL.search(body)
        year = _YEAR.search(body)
        out.append(
            Reference(
                number=printed if printed is not None else start_number + k,
                text=body,
                span=span,
                year=int(year.group(1)) if year else None,
                pmid=pmid.group(1) if pmid else None,
                url=url.group().rstrip(".,;)") if url else None,
                doi=doi_of(body),
                pmcid=pmcid_of(body),
            )
        )
    return out


_FUTURE_EFFECTIVE = re.compile(r"(?i)\beffective(?:\s+(?:date|on|as\s+of))?\s*:?\s*$")


_SEPARATORS = " \t\n;,.:–—-"
_TRAILING = " \t\n;,:–—-"  # a full stop ending an action is the action's


def parse_history_dates(doc: Document, start: int, end: int) -> list[HistoryEvent]:
    """Every date in a history section, with its action: the text after it on its line, up to the
    next date ("Revised: 6/23 (add indication); 12/23 (add NavDx for Medicare)"); a date with no
    words of its own takes its line's label ("CMS UM Oversight Committee Approval: 12/23, 02/25")."""
    found: list[tuple[int, int, str, Line]] = []
    taken: list[tuple[int, int]] = []
    text = doc.text
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text, start, end):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            date = iso_date(m)
            if date is None:
                continue
            taken.append((m.start(), m.end()))
            line = doc.lines[doc.line_at(m.start()) - 1]
            before = text[line.start : m.start()]
            if _FUTURE_EFFECTIVE.search(before[-30:]) and before.strip():
                continue  # "... 60-day notice required; effective 01/01/2026." inside a row: not a revision date
            found.append((m.start(), m.end(), date, line))
    starts = sorted(a for a, _, _, _ in found)
    out: list[HistoryEvent] = []
    for a, b, date, line in found:
        following = starts[k] if (k := bisect_right(starts, a)) < len(starts) else end
        stop = min(line.end, following, b + 300)
        action = " ".join(text[max(line.start, b):stop].split()).lstrip(_SEPARATORS).rstrip(_TRAILING)
        if not action:  # the line's label, before its first date
            first = starts[bisect_left(starts, line.start)]
            action = " ".join(text[line.start:first].split()).strip(_SEPARATORS)
        out.append(HistoryEvent(date=date, action=action or "(date)", span=doc.span(a, b)))
    return out
