"""Coverage statements of the policy section: status, service, indications, conditions, diseases.

A statement is a sentence of the policy section that carries a status written in capitals
(``**MEDICALLY NECESSARY**`` on the web, ``MEDICALLY NECESSARY`` in PDF text).  Statuses come from
the vocabulary; any other all-caps phrase in that position is kept as a status of its own.
"""

from __future__ import annotations

import re

from explorer.ingest.facts import Condition, DiseaseMention, Statement
from explorer.ingest.text import Document, NormText, paragraphs, sentences, without_superscripts
from explorer.vocab.lexicon import Lexicon, label_key

_CAPS_RUN = re.compile(r"(?<![\w(])[A-Z]{2,}(?:[ \-]+[A-Z]{2,})*(?![\w)])")
_MIN_STATUS_LETTERS = 6  # single capitalised words shorter than this are acronyms (HCT, DLI, PPO)
_VERB_TAIL = re.compile(
    r"\s+(?:may|might|can|will|shall)?\s*(?:be|is|are)?\s*(?:considered|deemed)?\s*$", re.IGNORECASE
)
_PRIOR_STATUS = re.compile(
    r"(?P<clause>(?:following|after)\s+(?:an?\s+|the\s+)?(?P<subject>.+?)\s+that\s+(?:was|were|is|has been)\s+"
    r"(?:originally\s+|previously\s+)?considered\s+"
    r"(?P<status>not\s+medically\s+necessary|medically\s+necessary|investigational))",
    re.IGNORECASE,
)
_PRIOR = re.compile(
    r"(?P<clause>(?:following|after)\s+(?:an?\s+|the\s+)?(?:prior\s+|previous\s+)(?P<subject>[^,.;]+))",
    re.IGNORECASE,
)
_INDICATION_SPLIT = re.compile(r",\s*(?:or\s+|and\s+)?(?=(?:to|for|as|in)\s)", re.IGNORECASE)


def status_slug(label: str) -> str:
    return "-".join(label_key(label).split())


def find_status(text: str, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """The first status phrase in ``text``: ``(start, end, label)``."""
    for m in _CAPS_RUN.finditer(text):
        phrase = m.group()
        letters = sum(c.isalpha() for c in phrase)
        if " " not in phrase and "-" not in phrase and letters < _MIN_STATUS_LETTERS:
            continue
        if lexicon.statuses.lookup(phrase) is None and letters < _MIN_STATUS_LETTERS:
            continue
        return m.start(), m.end(), " ".join(phrase.split())
    return None


def parse_statements(doc: Document, start: int, end: int, lexicon: Lexicon) -> list[Statement]:
    """Every statement in ``text[start:end]`` (the policy section body), numbered from 1."""
    out: list[Statement] = []
    for a, b in paragraphs(doc, start, end):
        norm = doc.norm(a, b)
        for i, j in sentences(norm):
            sentence = norm.slice(i, j)
            status = find_status(sentence.text, lexicon)
            if status is None:
                continue
            out.append(_statement(len(out) + 1, sentence, status, lexicon))
    return out


def _statement(number: int, sentence: NormText, status: tuple[int, int, str], lexicon: Lexicon) -> Statement:
    s_start, s_end, label = status
    term = lexicon.statuses.lookup(label)
    slug = term.slug if term else status_slug(label)
    text = without_superscripts(sentence.text)
    service = _VERB_TAIL.sub("", sentence.text[:s_start]).strip(" ,")
    tail = sentence.slice(s_end, len(sentence.text))
    conditions, indications = _scope(tail)
    if not indications and not tail.text.strip(" .;"):
        indications = (service,)
    diseases = tuple(
        DiseaseMention(m.term.slug, sentence.span(m.start, m.end)) for m in lexicon.diseases.find(sentence.text)
    )
    return Statement(
        number=number,
        status=slug,
        status_label=label,
        service=service,
        text=text,
        span=sentence.span(),
        indications=indications,
        conditions=conditions,
        diseases=diseases,
    )


def _scope(tail: NormText) -> tuple[tuple[Condition, ...], tuple[str, ...]]:
    """Split the words after the status into conditions (prior treatment) and indications."""
    text = tail.text
    conditions: list[Condition] = []
    removed: list[tuple[int, int]] = []
    for m in _PRIOR_STATUS.finditer(text):
        conditions.append(
            Condition(
                text=_clean(m.group("clause")),
                kind="prior-treatment-status",
                subject=_clean(m.group("subject")),
                required_status=status_slug(m.group("status")),
                span=tail.span(m.start("clause"), m.end("clause")),
            )
        )
        removed.append((m.start("clause"), m.end("clause")))
    for m in _PRIOR.finditer(text):
        if any(a <= m.start() < b for a, b in removed):
            continue
        conditions.append(
            Condition(
                text=_clean(m.group("clause")),
                kind="prior-treatment",
                subject=_clean(m.group("subject")),
                span=tail.span(m.start("clause"), m.end("clause")),
            )
        )
        removed.append((m.start("clause"), m.end("clause")))
    rest = "".join(" " if any(a <= k < b for a, b in removed) else c for k, c in enumerate(text))
    rest = _clean(rest).strip(" ,;.")
    indications = tuple(
        piece for piece in (_clean(p).strip(" ,;.") for p in _INDICATION_SPLIT.split(rest)) if piece
    )
    return tuple(conditions), tuple(re.sub(r"^(?:or|and)\s+", "", i) for i in indications)


def _clean(text: str) -> str:
    return " ".join(without_superscripts(text).split())


def disease_mentions(norm: NormText, lexicon: Lexicon) -> tuple[DiseaseMention, ...]:
    """Diseases the vocabulary knows, named anywhere in ``norm``."""
    return tuple(DiseaseMention(m.term.slug, norm.span(m.start, m.end)) for m in lexicon.diseases.find(norm.text))
