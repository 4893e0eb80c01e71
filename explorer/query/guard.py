"""The read-only guard: a query runs only if rdflib parses it as SELECT, ASK, CONSTRUCT or DESCRIBE
and it can make no store, engine or server reach outside the store.

Refused, each with a message saying what and why:

- every SPARQL Update form (INSERT/DELETE DATA, DELETE WHERE, INSERT/DELETE ... WHERE with or
  without WITH, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY): the store is read-only here;
- ``SERVICE`` anywhere (nested in OPTIONAL, UNION, MINUS, GRAPH, subqueries, FILTER EXISTS ...):
  rdflib (and other engines) would send an HTTP request to the named endpoint;
- ``FROM`` / ``FROM NAMED``: rdflib loads such graphs from the web or the file system; the dataset
  is chosen by the caller (``graphs``), never by the query;
- ``\\uXXXX`` escapes: SPARQL expands them before parsing, so the text the guard checked and the text
  another engine parses could differ; write the character itself;
- a bare carriage return (CR not followed by LF): SPARQL ends a ``#`` comment at CR or LF and
  Oxigraph does so, but rdflib's parser ends it at LF only, so ``# \\r SERVICE <...> {...}`` was a
  comment to the guard and a live SERVICE call to Oxigraph (regression test:
  tests/security/test_query_attacks.py::test_bare_carriage_return_cannot_hide_service).

The parse tree is walked (every node, including expressions) and so is the algebra, so a
``SERVICE`` cannot hide in a part one of them leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from explorer.errors import QueryError

MAX_QUERY_CHARS = 100_000
_BARE_CR = re.compile(r"\r(?!\n)")

QUERY_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
               "DescribeQuery": "describe"}
_UPDATE_FORMS = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT ... WHERE", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
    "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}


@dataclass(frozen=True)
class CheckedQuery:
    """What the guard learnt about an accepted query."""

    kind: str                              # select | ask | construct | describe
    projection: tuple[str, ...] | None     # SELECT's explicit variables; None for SELECT * and others
    variables: frozenset[str]              # every variable the query mentions
    prefixes: dict[str, str]               # PREFIX declarations, for IRI parameters and display


def check_read_only(text: str) -> CheckedQuery:
    """Parse ``text`` and accept it only if it is a read-only, self-contained query.

    :raises QueryError: malformed (with the parser's line and column) or refused (with the reason).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query refused: longer than {MAX_QUERY_CHARS} characters")
    if expandUnicodeEscapes(text) != text:
        raise QueryError("query refused: \\uXXXX / \\UXXXXXXXX escapes are not accepted "
                         "(engines expand them before parsing); write the character itself")
    if _BARE_CR.search(text):
        raise QueryError("query refused: a carriage return not followed by a line feed is not accepted "
                         "(engines disagree on where a # comment ends); use LF or CRLF line ends")
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        _refuse_update(text)
        raise QueryError(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg} "
                         "(accepted: SELECT, ASK, CONSTRUCT, DESCRIBE)") from None
    except RecursionError:
        raise QueryError("query refused: nested too deeply to parse") from None
    _refuse_outside_reach(parsed)
    try:
        algebra = translateQuery(parsed).algebra
    except RecursionError:
        raise QueryError("query refused: nested too deeply to translate") from None
    except Exception as exc:  # rdflib raises plain Exceptions for semantic errors
        raise QueryError(f"invalid SPARQL: {exc}") from None
    _refuse_outside_reach(algebra)
    body = parsed[1]
    kind = QUERY_KINDS.get(body.name)
    if kind is None:  # pragma: no cover - the grammar admits only the four forms
        raise QueryError(f"query refused: {body.name} is not a read-only query form")
    projection = None
    if kind == "select" and "projection" in body:
        projection = tuple(str(v) for v in algebra.PV)
    variables = frozenset(str(n) for n in _walk(parsed) if isinstance(n, Variable))
    prefixes = {str(d.get("prefix") or ""): str(d.iri) for d in parsed[0]
                if isinstance(d, CompValue) and d.name == "PrefixDecl"}
    return CheckedQuery(kind=kind, projection=projection, variables=variables, prefixes=prefixes)


def _refuse_update(text: str) -> None:
    """If ``text`` is a SPARQL Update, refuse it by name."""
    try:
        update = parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return
    forms = sorted({_UPDATE_FORMS.get(op.name, op.name) for op in update.request})
    if forms:
        raise QueryError(f"query refused: SPARQL Update ({', '.join(forms)}) is not allowed; "
                         "the store is read-only here (accepted: SELECT, ASK, CONSTRUCT, DESCRIBE)")


def _refuse_outside_reach(tree: object) -> None:
    for node in _walk(tree):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryError("query refused: SERVICE is not allowed (it makes the query engine "
                                 "send requests to other servers); query the store's own data")
            if node.name == "DatasetClause":
                raise QueryError("query refused: FROM / FROM NAMED is not allowed (the engine would "
                                 "load graphs from the web or disk); the default graph is the store's "
                                 "graphs already (see --asserted-only)")


def _walk(tree: object) -> Iterator[object]:
    """Every node of a parse tree or algebra expression, depth first, without recursion."""
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        yield node
        if isinstance(node, CompValue):
            seen.add(id(node))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults, set, frozenset)):
            seen.add(id(node))
            stack.extend(node)
        elif isinstance(node, dict):
            seen.add(id(node))
            stack.extend(node.values())
