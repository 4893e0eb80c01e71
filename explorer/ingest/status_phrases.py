"""Coverage statuses in any payer's wording, found case-insensitively and normalised.

The phrases live in ``data/formats/_statuses.toml`` (status slug -> regular expressions); the
order of the slugs there is the order of preference at one position, so "not medically
necessary" wins over "medically necessary" where both start.  :meth:`StatusPhrases.find` returns every
status phrase of a sentence ("investigational and not medically necessary" has two).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from explorer.errors import VocabularyError

NEUTRAL = "neutral"
"""The slug of phrases that look like a status and are not one ("does not meet coverage criteria")."""


@dataclass(frozen=True)
class StatusHit:
    status: str
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class StatusPhrases:
    pattern: re.Pattern[str]
    groups: dict[str, str]  # regex group name -> status slug
    not_statements: re.Pattern[str]

    def find(self, text: str) -> list[StatusHit]:
        """Every status phrase in ``text``, leftmost-longest, in order."""
        out = []
        for m in self.pattern.finditer(text):
            group = m.lastgroup
            if group is not None and self.groups[group] != NEUTRAL:
                out.append(StatusHit(self.groups[group], m.start(), m.end(), m.group()))
        return out

    def mentions_any(self, text: str) -> bool:
        """Whether ``text`` has a status phrase at all (stops at the first one)."""
        return any(m.lastgroup is not None and self.groups[m.lastgroup] != NEUTRAL
                   for m in self.pattern.finditer(text))

    def determinations(self, text: str) -> list[StatusHit]:
        """The status phrases that decide: status words describing the subject ("Experimental/
        Investigational (E/I) services are not covered") or explaining in parentheses give way to
        the ones the sentence states after its verb or outside parentheses."""
        hits = self.find(text)
        verb = _VERB.search(text)
        if verb is not None and any(h.start >= verb.start() for h in hits):
            hits = [h for h in hits if h.start >= verb.start()] if any(h.start < verb.start() for h in hits) else hits
        inside = _parenthesised(text)
        outside = [h for h in hits if not any(a <= h.start < b for a, b in inside)]
        return outside or hits

    def is_not_a_statement(self, text: str) -> bool:
        """Definitions and disclaimers that name a status without deciding anything."""
        return self.not_statements.search(text) is not None


_VERB = re.compile(r"\b(?:is|are|was|were|be|been|being|considered|deemed|can|could|will|would|may|might|shall)\b",
                   re.IGNORECASE)  # a modal starts the verb: "... can be covered for ..."


def _parenthesised(text: str) -> list[tuple[int, int]]:
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


@cache
def load_status_phrases() -> StatusPhrases:
    from explorer.resources import formats_dir

    path = formats_dir() / "_statuses.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(f"{path}: cannot read status phrases: {exc}") from exc
    alternatives, groups = [], {}
    for k, (slug, phrases) in enumerate(data["statuses"].items()):
        name = f"s{k}"
        groups[name] = slug
        alternatives.append(f"(?P<{name}>" + "|".join(f"(?:{p})" for p in phrases) + ")")
    try:
        pattern = re.compile("|".join(alternatives), re.IGNORECASE)
        not_statements = re.compile("|".join(f"(?:{p})" for p in data["not_statements"]), re.IGNORECASE)
    except re.error as exc:
        raise VocabularyError(f"{path}: bad pattern: {exc}") from exc
    return StatusPhrases(pattern, groups, not_statements)
