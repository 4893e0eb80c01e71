"""Bind variables in query text for stores whose query call takes text only (a SPARQL server).

The values become an inline ``VALUES`` block placed first in the outermost WHERE group (so they
restrict the pattern before grouping, like rdflib's ``initBindings``). Three things keep a value a
value (issue 11: a regex that masked strings and IRIs could be misled, so a value landed inside a
string literal and its text became live SPARQL, a ``SERVICE`` call included):

- the group is found with a SPARQL tokenizer (:mod:`explorer.sparql.lexer`), not a regex over text;
- terms are written here with every character that could end a literal or IRI escaped (a string
  is one short ``"..."`` literal with ``\\"``, ``\\\\``, ``\\n``, ``\\r`` escaped; an IRI or datatype
  may not hold ``<>"{}|^`\\`` or spaces; a language tag is checked against BCP 47's shape);
- the finished text is checked again by the read-only guard, and its parse must hold exactly the
  VALUES block written here, so the engine only ever receives text the guard approved. A
  listing's page (:func:`inject_value_rows`, many rows, a new text at every page) is checked
  token by token instead: the query text the guard approved, and a block whose every value lexes
  as exactly one term.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node, Variable

from explorer.errors import QueryError
from explorer.sparql import lexer

_VAR_NAME = re.compile(r"[A-Za-z0-9_\u00B7-\uFFFF]+")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def term_text(term: Node) -> str:
    """``term`` as SPARQL text that is exactly one IRI or literal token.

    :raises QueryError: not an IRI or literal, or an IRI / datatype / language tag that SPARQL
        could not write as one token.
    """
    if isinstance(term, URIRef):
        return _iri_text(str(term))
    if isinstance(term, Literal):
        body = '"' + "".join(_STRING_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"cannot bind a literal with language tag {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype is not None:
            return f"{body}^^{_iri_text(str(term.datatype))}"
        return body
    raise QueryError(f"cannot bind {term!r} in query text (IRIs and literals only)")


def _iri_text(iri: str) -> str:
    if _IRI_FORBIDDEN.search(iri):
        raise QueryError(f"cannot bind the IRI {iri!r}: it holds a character IRIs may not contain")
    return f"<{iri}>"


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for the given bindings."""
    return _values_text(tuple(bindings), (tuple(bindings.values()),))


def _values_text(names: tuple[str, ...], rows: tuple[tuple[Node, ...], ...]) -> str:
    """``VALUES (?a ?b) { (<x> "y") (<z> "w") }``: one row per tuple of ``rows``."""
    for name in names:
        if not _VAR_NAME.fullmatch(str(name)):
            raise QueryError(f"invalid variable name {name!r}")
    cells = " ".join("(" + " ".join(term_text(term) for term in row) + ")" for row in rows)
    return "VALUES (" + " ".join(f"?{name}" for name in names) + ") { " + cells + " }"


def inject_bindings(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """``sparql`` with ``bindings`` added as a VALUES block (unchanged when there are none).

    :raises QueryError: the text has nowhere to bind, or the result is not a read-only query with
        exactly this VALUES block (the guard's message says why).
    """
    if not bindings:
        return sparql
    return _bound_text(sparql, tuple(bindings), (tuple(bindings.values()),))


def inject_value_rows(sparql: str, name: str, values: Sequence[Node]) -> str:
    """``sparql`` with ``VALUES (?name) { (v1) (v2) ... }`` first in its WHERE group: its rows
    restricted to those values of ``?name`` (a page's policies, :mod:`explorer.query.windows`).

    A page's text is new at every page, and rdflib's parser took 30-130 ms for each (1-2 ms a row
    of values), more than the engine's answer. So it is not parsed again: ``sparql`` itself must
    be a text the guard accepts (checked, and remembered by text), and the block is checked
    token by token (:func:`_lexed_block`): each value exactly one IRI or string token (with its
    ``^^`` datatype or ``@`` language), no ``\\u`` escape an engine would expand first, and the
    whole text the query's tokens with the block's between them.

    :raises QueryError: ``sparql`` refused by the guard or with no WHERE group; a value that
        cannot be written as one term; no values at all.
    """
    if not values:
        raise QueryError(f"no values to bind ?{name} to")
    return _rows_text(sparql, name, tuple(values))


@lru_cache(maxsize=256)
def _rows_text(sparql: str, name: str, values: tuple[Node, ...]) -> str:
    from explorer.sparql.guard import check_read_only

    check_read_only(sparql)
    at = lexer.where_group_start(sparql)
    if at is None:
        raise QueryError("SPARQL query has no WHERE group to bind values in")
    block = _lexed_block(name, values)
    text = sparql[:at] + " " + block + " " + sparql[at:]
    pieces = [_texts(sparql[:at]), _texts(block), _texts(sparql[at:])]
    if _texts(text) != [t for piece in pieces for t in piece]:  # pragma: no cover - spaces part them
        raise QueryError("the bound values could not be placed in the query as one VALUES block; "
                         "the query was not run")
    return text


def _lexed_block(name: str, values: tuple[Node, ...]) -> str:
    """The VALUES block of ``values``, refused unless it lexes as written: the keyword, the
    variable, and per row ``(`` the term's own tokens ``)``."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    block = _values_text((name,), tuple((value,) for value in values))
    expected = [("word", "VALUES"), ("other", "("), ("var", f"?{name}"), ("other", ")"), ("other", "{")]
    for value in values:
        expected += [("other", "("), *_term_tokens(value), ("other", ")")]
    expected.append(("other", "}"))
    got = [(t.kind, t.text) for t in lexer.significant(block)]
    if got != expected or expandUnicodeEscapes(block) != block or "\r" in block:
        raise QueryError("the bound values could not be placed in the query as one VALUES block; "
                         "the query was not run")
    return block


def _term_tokens(term: Node) -> list[tuple[str, str]]:
    """The tokens :func:`term_text` must lex into: one IRI; one string, then ``@`` and the
    language or ``^^`` and the datatype's IRI."""
    if isinstance(term, URIRef):
        return [("iri", term_text(term))]
    assert isinstance(term, Literal)  # term_text refused anything else already
    body = [("string", term_text(Literal(str(term))))]
    if term.language:
        return [*body, ("other", "@"), ("word", term.language)]
    if term.datatype is not None:
        return [*body, ("other", "^"), ("other", "^"), ("iri", _iri_text(str(term.datatype)))]
    return body


def _texts(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in lexer.significant(text)]


@lru_cache(maxsize=256)
def _bound_text(sparql: str, names: tuple[str, ...], rows: tuple[tuple[Node, ...], ...]) -> str:
    """The checked text (cached: the guard's parse costs 5-20 ms, and the library repeats the same
    bound queries, e.g. a coverage question asked again)."""
    from explorer.sparql.guard import check_read_only_apart

    block = _values_text(names, rows)
    at = lexer.where_group_start(sparql)
    if at is None:
        if lexer.significant(sparql) and _is_construct_where(sparql):
            text = sparql + "\n" + block + "\n"
        else:
            raise QueryError("SPARQL query has no WHERE group to bind values in")
    else:
        text = sparql[:at] + " " + block + " " + sparql[at:]
    _, tree = check_read_only_apart(text)
    _require_block(tree, names, rows)
    return text


def _is_construct_where(sparql: str) -> bool:
    words = [t.text.upper() for t in lexer.significant(sparql) if t.kind == "word"]
    return any(a == "CONSTRUCT" and b == "WHERE" for a, b in zip(words, words[1:], strict=False))


def _require_block(tree: object, names: tuple[str, ...], rows: tuple[tuple[Node, ...], ...]) -> None:
    """The parse of the final text must hold our VALUES block: the variables and terms written."""
    from rdflib.plugins.sparql.parserutils import CompValue  # rdflib's SPARQL parser: loaded when a value is bound

    from explorer.sparql.guard import walk

    wanted_vars = [Variable(str(n)) for n in names]
    for node in walk(tree):
        if isinstance(node, CompValue) and node.name == "InlineData":
            variables = list(node.get("var") or [])
            parsed = node.get("value") or []
            if (variables == wanted_vars and len(parsed) == len(rows)
                    and all(_same_terms(got, list(row)) for got, row in zip(parsed, rows, strict=True))):
                return
    raise QueryError("the bound values could not be placed in the query as one VALUES block; "
                     "the query was not run")


def _same_terms(row: object, wanted: list[Node]) -> bool:
    from pyparsing import ParseResults

    values = list(row) if isinstance(row, (list, tuple, ParseResults)) else [row]
    if len(values) != len(wanted):
        return False
    return all(_as_node(v) == w for v, w in zip(values, wanted, strict=True))


def _as_node(value: object) -> object:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(value, CompValue) and value.name == "literal":
        return Literal(value.string, lang=value.get("lang"), datatype=value.get("datatype"))
    return value
