"""Skip a regular-expression search that cannot match: the text lacks the pattern's required literal.

Most patterns a profile names (``(?i)\\bLast Review(?:ed)? Date\\b``, ``(?i)carelon\\.com``) hold a
run of plain characters every match contains (``"Last Review"``, ``"carelon.com"``). Python's
``re`` scans a case-insensitive pattern position by position (5-12 ms on a 330 KB document, for a
label most documents never print), where ``str.__contains__`` finds a literal in a fraction of that.
:class:`Haystack` answers "can this pattern match here?" with that containment test, and only
``False`` when no match is possible:

- the required literal is the longest run of consecutive literal characters on the pattern's path
  (through plain groups; an alternation, a repeat, a class or a flag-scoped group ends a run);
- a case-insensitive literal is looked up, lower-cased, in the lower-cased text. ``re`` matches a
  character when its simple lower case equals the pattern's, and also ``ı`` as ``i`` and ``ſ`` as
  ``s``; ``str.lower`` agrees with that except on ``İ`` (two characters) and those two: a text
  holding any of the three is not filtered, nor is a literal with a character outside ASCII.

A label that is present is found the same way: :meth:`Haystack.finditer` gives
``pattern.finditer``'s matches, each search started at the next occurrence of the literal less the
widest prefix a match can have before it (``Effective `` in the pattern above: at most 15
characters), not at every position in between.

The pattern is read with ``re``'s own parser (``re._parser``); if that cannot be read, the pattern
is searched as before. ``tests/ingest/test_literal_prefilter.py`` checks the filter never skips a
pattern that matches, and ``finditer`` gives the matches ``re`` gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import Any

_UNFOLDABLE = ("\u0130", "\u0131", "\u017f")  # İ ı ſ: str.lower and re's case-insensitive match differ


_UNBOUNDED = 1 << 20  # a prefix that may be longer than this: searched from where the last match ended


def required_literal(pattern: re.Pattern[str]) -> str | None:
    """The longest literal every match of ``pattern`` contains (None: none known)."""
    anchor = _anchor(pattern)
    return None if anchor is None else anchor[0]


@lru_cache(maxsize=1024)
def _anchor(pattern: re.Pattern[str]) -> tuple[str, int, int] | None:
    """The required literal, and the fewest and most characters a match holds before it."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        walk = _Walk(_parser)
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        walk.items(parsed)
        walk.end_run()
    except Exception:  # a parser of another Python version: no filter, the search runs
        return None
    literal, lo, hi = max(walk.runs, key=lambda run: len(run[0]), default=("", 0, 0))
    if not literal or (pattern.flags & re.IGNORECASE and not literal.isascii()):
        return None
    return literal, lo, hi


class _Walk:
    """The runs of consecutive literal characters on a parsed pattern's path (through groups
    without flags of their own), each with the width of what comes before it (fewest, most)."""

    def __init__(self, parser: Any) -> None:
        from re import _constants  # type: ignore[attr-defined]

        self.parser, self.ops = parser, _constants
        self.runs: list[tuple[str, int, int]] = []
        self.chars: list[str] = []
        self.run_at = (0, 0)
        self.lo = self.hi = 0

    def items(self, items: Any) -> None:
        for op, arg in items:
            if op is self.ops.LITERAL:
                if not self.chars:
                    self.run_at = (self.lo, self.hi)
                self.chars.append(chr(arg))
                self.lo, self.hi = self.lo + 1, self.hi + 1
            elif op is self.ops.SUBPATTERN and not arg[1] and not arg[2]:
                self.items(arg[3])
            else:
                self.end_run()
                lo, hi = self.parser.SubPattern(items.state, [(op, arg)]).getwidth()
                self.lo, self.hi = self.lo + lo, min(self.hi + hi, _UNBOUNDED)

    def end_run(self) -> None:
        if self.chars:
            self.runs.append(("".join(self.chars), *self.run_at))
            self.chars.clear()


class Haystack:
    """A text searched by many patterns, lower-cased once for the case-insensitive ones."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _folded(self) -> str | None:
        """The text lower-cased, or None where that differs from ``re``'s case-insensitive match."""
        return None if any(ch in self.text for ch in _UNFOLDABLE) else self.text.lower()

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text)``. Each search starts at the next occurrence of
        the pattern's literal less the most characters a match holds before it: no match starts
        earlier (its literal would occur earlier), and a search from a later position still sees
        the text before it (``\\b``, lookbehinds). A prefix of unbounded width: searched as before."""
        lookup = self._lookup(pattern)
        if lookup is None or lookup[3] >= _UNBOUNDED:
            yield from pattern.finditer(self.text)
            return
        hay, literal, lo, hi = lookup
        at = 0
        while at <= len(self.text):
            found = hay.find(literal, at + lo)
            if found < 0:
                return
            m = pattern.search(self.text, max(at, found - hi))
            if m is None:
                return
            yield m
            at = m.end() if m.end() > m.start() else m.end() + 1

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        """False only when ``pattern`` cannot match anywhere in the text."""
        lookup = self._lookup(pattern)
        return lookup is None or lookup[1] in lookup[0]

    def _lookup(self, pattern: re.Pattern[str]) -> tuple[str, str, int, int] | None:
        """Where to look for the pattern's literal and as what (the text and the literal as
        written, or both lower-cased for a case-insensitive pattern), with the widths before it;
        None: no literal to look for, or a text whose lower case ``re`` would not match."""
        anchor = _anchor(pattern)
        if anchor is None:
            return None
        literal, lo, hi = anchor
        if not pattern.flags & re.IGNORECASE:
            return self.text, literal, lo, hi
        folded = self._folded
        return None if folded is None else (folded, literal.lower(), lo, hi)
