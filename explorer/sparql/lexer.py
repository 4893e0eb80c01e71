"""A SPARQL 1.1 tokenizer: the terminals that decide where structure is (comments, IRIs, strings,
names with their escapes, brackets), scanned left to right with the grammar's longest-match rule.

It exists so text never has to be cut or searched with a regex that can be misled: the old VALUES
injection masked ``<[^<>\\s]*>`` as an IRI, so ``1<"a>{"`` (a comparison with the string ``"a>{"``)
hid the string's opening quote and the ``{`` inside it was taken for the WHERE group; a bound value
then landed inside the literal and its text became live SPARQL (issue 11). Here an IRIREF is what
the grammar says (no ``"``, ``{``, ``}``, ``|``, ``^``, backquote, backslash, ``<``, ``>`` or space
inside), so that ``<`` is the less-than operator and the string is one token.

The tokenizer is lenient (an unknown character is a one-character token): it is used to find a
position and to measure nesting, never to decide whether a query is acceptable. The guard
(:mod:`explorer.sparql.guard`) parses every text an engine receives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.errors import QueryError

_TOKEN = re.compile(
    r"""
    (?P<ws>[\ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''
              | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*\"\"\"
              | '(?:[^'\\\r\n]|\\[\s\S])*'
              | "(?:[^"\\\r\n]|\\[\s\S])*")
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\U0010FFFF]+)
  | (?P<word>(?:[A-Za-z0-9_:.%\-\u00B7-\U0010FFFF]|\\[_~.\-!$&'()*+,;=/?\#@%])+)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)
OPENERS = "({["
CLOSERS = ")}]"


@dataclass(frozen=True)
class Token:
    kind: str   # ws | comment | iri | string | var | word | other
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokens(text: str) -> Iterator[Token]:
    """Every token of ``text``, whitespace and comments included (their texts add up to ``text``)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield Token(kind, match.group(0), match.start())


def significant(text: str) -> list[Token]:
    """The tokens of ``text`` without whitespace and comments."""
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``(``, ``[`` and ``{`` outside strings, IRIs and comments (iterative:
    safe on any input)."""
    depth = deepest = 0
    for token in tokens(text):
        if token.kind != "other":
            continue
        if token.text in OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in CLOSERS:
            depth = max(0, depth - 1)
    return deepest


def where_group_start(text: str) -> int | None:
    """The offset just after the ``{`` that opens the query's outermost WHERE group; None for a
    ``CONSTRUCT WHERE`` short form (its pattern is also its template) or a query without a group
    (``DESCRIBE <x>``).

    The group is the first ``{`` outside parentheses after the query form keyword (so an
    ``EXISTS { }`` in a SELECT expression is skipped), after the template of a CONSTRUCT.
    :raises QueryError: no query form keyword, or unbalanced braces in a CONSTRUCT template.
    """
    toks = significant(text)
    form_at = next((i for i, t in enumerate(toks) if t.kind == "word"
                    and t.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    if form_at is None:
        raise QueryError("SPARQL query has no SELECT, ASK, CONSTRUCT or DESCRIBE")
    i = form_at + 1
    if toks[form_at].text.upper() == "CONSTRUCT":
        if i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() == "WHERE":
            return None
        if i < len(toks) and toks[i].text == "{":
            i = after_group(toks, i)
    parens = 0
    for token in toks[i:]:
        if token.kind != "other":
            continue
        if token.text in "([":
            parens += 1
        elif token.text in ")]":
            parens -= 1
        elif token.text == "{" and parens == 0:
            return token.end
    return None


def after_group(toks: list[Token], opening: int) -> int:
    """The index just past the ``}`` closing the group ``toks[opening]`` opens.

    :raises QueryError: the group is not closed.
    """
    depth = 0
    for j in range(opening, len(toks)):
        if toks[j].kind != "other":
            continue
        if toks[j].text == "{":
            depth += 1
        elif toks[j].text == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise QueryError("unbalanced braces in SPARQL query")
