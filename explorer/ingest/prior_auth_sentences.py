"""Prior-authorization sentences in any payer's wording ("prior authorization is required through
Carelon", "requires precertification", "must be reviewed by eviCore", "may apply").

Each sentence about prior authorization becomes one :class:`PriorAuthorization` fact per product
it names, else per line of business it names, else one for the whole policy; with the setting when
it names one, the vendor it names (``reviewer``) and its span. Whether it is required is read from
the phrases of ``data/formats/_prior_auth.toml``: required, not required, or unknown (``None``)
when the sentence leaves it open or depends on something the question does not say; then, or when
the answer is conditional, the sentence's words are the note. The BCBS Massachusetts tables of
products by setting are read by :mod:`explorer.ingest.prior_auth`.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from explorer.errors import VocabularyError
from explorer.ingest.facts import PriorAuthorization
from explorer.ingest.text import Document, NormText, paragraphs, sentences
from explorer.vocab.lexicon import Lexicon

PHRASES = Path(__file__).resolve().parents[2] / "data" / "formats" / "_prior_auth.toml"
_MAX_SENTENCE = 600
_HISTORY_ROW = re.compile(
    r"^\W*(?:\d{1,2}/(?:\d{1,2}/)?\d{2,4}|\d{4}-\d{2}(?:-\d{2})?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True)
class PriorAuthPhrases:
    """The compiled phrase lists of ``_prior_auth.toml``."""

    subject: re.Pattern[str]
    not_sentences: re.Pattern[str]
    open: re.Pattern[str]
    not_required: re.Pattern[str]
    required: re.Pattern[str]
    conditional: re.Pattern[str]
    reviewers: tuple[tuple[str, re.Pattern[str]], ...]

    def requirement(self, sentence: str) -> tuple[bool | None, bool] | None:
        """(required, conditional) for a sentence about prior authorization; None when it decides nothing."""
        if self.open.search(sentence):
            return None, True
        negative = bool(self.not_required.search(sentence))
        positive = bool(self.required.search(self.not_required.sub(" ", sentence)))
        if negative and positive:
            return None, True
        if not negative and not positive:
            return None
        return positive, bool(self.conditional.search(sentence))

    def reviewer(self, sentence: str) -> str | None:
        return next((label for label, pattern in self.reviewers if pattern.search(sentence)), None)


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def load_prior_auth_phrases(path: Path = PHRASES) -> PriorAuthPhrases:
    """The phrases, compiled once. :raises VocabularyError: the file is missing or malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        lists = {k: _any(data[k]) for k in ("subject", "not_sentences", "open", "not_required", "required",
                                               "conditional")}
        reviewers = tuple((label, _any(p)) for label, p in data["reviewers"].items())
    except (OSError, tomllib.TOMLDecodeError, KeyError, re.error, TypeError) as exc:
        raise VocabularyError(f"{path.name}: cannot read the prior-authorization phrases ({exc})") from None
    return PriorAuthPhrases(**lists, reviewers=reviewers)


def find_prior_authorization(doc: Document, ranges: list[tuple[int, int]],
                             lexicon: Lexicon) -> list[PriorAuthorization]:
    """The prior-authorization facts the sentences of ``ranges`` (document offsets) state."""
    phrases = load_prior_auth_phrases()
    out: list[PriorAuthorization] = []
    seen: set[str] = set()
    for start, end in ranges:
        hits = [m.start() for m in phrases.subject.finditer(doc.text, start, end)]
        if not hits:
            continue  # one pass over the text: most documents name prior authorization seldom or never
        for a, b in paragraphs(doc, start, end):
            i = bisect_left(hits, a)
            if i == len(hits) or hits[i] >= b:
                continue  # no need to normalise and split this paragraph
            norm = doc.norm(a, b)
            for i, j in sentences(norm):
                sentence = norm.slice(i, j).strip()
                text = sentence.text
                key = " ".join(text.lower().split())
                if (len(text) > _MAX_SENTENCE or not phrases.subject.search(text)
                        or phrases.not_sentences.search(text) or key in seen or _in_history_row(doc, sentence)):
                    continue
                found = phrases.requirement(text)
                if found is None:
                    continue
                seen.add(key)  # a sentence printed twice (a repeated disclaimer) is one fact
                out += _facts(sentence, *found, phrases.reviewer(text), lexicon)
    return out


def _in_history_row(doc: Document, sentence: NormText) -> bool:
    """Whether the sentence is a revision note: a line at most three lines above it (in its
    paragraph) starts with a date ("08/03/2021 ... Prior authorization is still required ...")."""
    number = doc.line_at(sentence.span().start)
    for line in reversed(doc.lines[max(0, number - 4) : number]):
        if line.blank:
            return False
        if _HISTORY_ROW.match(line.text):
            return True
    return False


def _facts(sentence: NormText, required: bool | None, conditional: bool, reviewer: str | None,
           lexicon: Lexicon) -> list[PriorAuthorization]:
    text = sentence.text
    span = sentence.span()
    note = " ".join(text.split()) if conditional or required is None else None
    settings: list[str | None] = list(dict.fromkeys(m.term.slug for m in lexicon.settings.find(text)))
    products = list(dict.fromkeys(m.term.label for m in lexicon.products.find(text)))
    lines = list(dict.fromkeys(m.term.label for m in lexicon.lines_of_business.find(text)))
    out = []
    for setting in settings or [None]:
        if products:
            out += [PriorAuthorization(p, setting, required, span, note, reviewer=reviewer) for p in products]
        elif lines:
            out += [PriorAuthorization(None, setting, required, span, note, line_of_business=lob, reviewer=reviewer)
                    for lob in lines]
        else:
            out.append(PriorAuthorization(None, setting, required, span, note, reviewer=reviewer))
    return out
