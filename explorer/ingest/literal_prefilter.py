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

The pattern is read with ``re``'s own parser (``re._parser``); if that cannot be read, the pattern
is searched as before. ``tests/ingest/test_literal_prefilter.py`` checks the filter never skips a
pattern that matches.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

_UNFOLDABLE = ("\u0130", "\u0131", "\u017f")  # İ ı ſ: str.lower and re's case-insensitive match differ


@lru_cache(maxsize=1024)
def required_literal(pattern: re.Pattern[str]) -> str | None:
    """The longest literal every match of ``pattern`` contains ("" or None: none known)."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        runs: list[str] = []
        _runs(parsed, runs, [])
    except Exception:  # a parser of another Python version: no filter, the search runs
        return None
    literal = max(runs, key=len, default="")
    if pattern.flags & re.IGNORECASE and not literal.isascii():
        return None
    return literal or None


def _runs(items: object, runs: list[str], current: list[str]) -> None:
    """Append each run of consecutive literal characters of the sequence ``items`` to ``runs``."""
    from re import _constants as c  # type: ignore[attr-defined]

    for op, arg in items:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            current.append(chr(arg))
        elif op is c.SUBPATTERN and not arg[1] and not arg[2]:  # a group without flags of its own
            _runs(arg[3], runs, current)
        else:
            _end_run(runs, current)
    _end_run(runs, current)


def _end_run(runs: list[str], current: list[str]) -> None:
    if current:
        runs.append("".join(current))
        current.clear()


class Haystack:
    """A text searched by many patterns, with what :meth:`may_match` needs computed once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _folded(self) -> str | None:
        """The text lower-cased, or None where that differs from ``re``'s case-insensitive match."""
        return None if any(ch in self.text for ch in _UNFOLDABLE) else self.text.lower()

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        """False only when ``pattern`` cannot match anywhere in the text."""
        literal = required_literal(pattern)
        if literal is None:
            return True
        if not pattern.flags & re.IGNORECASE:
            return literal in self.text
        folded = self._folded
        return folded is None or literal.lower() in folded
