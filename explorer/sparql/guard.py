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

- a function call whose IRI is not a standard one (XPath functions ``fn:``, XSD casts ``xsd:``;
  SPARQL's built-ins are keywords, not IRIs): engines map such IRIs to extensions that reach
  outside the query, e.g. Virtuoso's ``bif:http_get`` (fetches a URL) and ``bif:exec`` (runs SQL,
  ``SPARQL CLEAR GRAPH`` included, so a read-only endpoint erased the store: issue 11); IRIs in
  Virtuoso's extension namespaces (``bif:``, ``sql:``, ``http://www.openlinksw.com/...``) are
  refused in any position, since Virtuoso also has "magic" predicates;
- nesting deeper than :data:`MAX_NESTING` brackets (``(``, ``[``, ``{`` together): measured before
  any parser sees the text (an iterative count), because rdflib's parser, algebra and evaluator
  recurse about 40 Python frames per level and engines' parsers recurse too.

The parse tree is walked (every node, including expressions) and so is the algebra, so a
``SERVICE`` cannot hide in a part one of them leaves out.

Everything an engine receives passes here: user text before it runs, and text with bound values
after they were written into it (:mod:`explorer.sparql.values`).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from explorer.errors import QueryError
from explorer.sparql.lexer import nesting_depth

MAX_QUERY_CHARS = 100_000
#: Brackets nested deeper than this are refused. Our catalog reaches 5; hand-written and
#: tool-generated queries (nested OPTIONAL / FILTER NOT EXISTS / subqueries) stay well under 30.
MAX_NESTING = 128
#: Python frames rdflib needs for a query nested MAX_NESTING deep: measured 4,843 for 128 nested
#: parentheses (parse, algebra and evaluation; ~37 per level), 3,391 for 128 braces; with headroom
#: for the caller's own frames (Streamlit, WSGI).
_RECURSION_NEEDED = 10_000
#: Function IRIs a query may call: XPath functions and XSD casts (SPARQL's built-ins are keywords).
ALLOWED_FUNCTION_NAMESPACES = ("http://www.w3.org/2005/xpath-functions#", "http://www.w3.org/2001/XMLSchema#")
#: Vendor extension namespaces refused in any position (functions, "magic" predicates).
REFUSED_NAMESPACES = ("bif:", "sql:", "http://www.openlinksw.com/")
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

    Accepted texts are remembered (the parse costs 5-200 ms; catalog and app queries repeat the
    same texts), refused ones are checked again each time.
    :raises QueryError: malformed (with the parser's line and column) or refused (with the reason).
    """
    checked = _checked(text)
    return replace(checked, prefixes=dict(checked.prefixes))  # the caller may change its copy


@lru_cache(maxsize=128)
def _checked(text: str) -> CheckedQuery:
    return check_read_only_tree(text)[0]


def check_read_only_tree(text: str) -> tuple[CheckedQuery, object]:
    """:func:`check_read_only`, also returning rdflib's parse tree of the accepted text."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query refused: longer than {MAX_QUERY_CHARS} characters")
    if expandUnicodeEscapes(text) != text:
        raise QueryError("query refused: \\uXXXX / \\UXXXXXXXX escapes are not accepted "
                         "(engines expand them before parsing); write the character itself")
    if _BARE_CR.search(text):
        raise QueryError("query refused: a carriage return not followed by a line feed is not accepted "
                         "(engines disagree on where a # comment ends); use LF or CRLF line ends")
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise QueryError(f"query refused: brackets nested {depth} deep (at most {MAX_NESTING} accepted)")
    _allow_recursion()
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
    _refuse_extension_functions(algebra)
    body = parsed[1]
    kind = QUERY_KINDS.get(body.name)
    if kind is None:  # pragma: no cover - the grammar admits only the four forms
        raise QueryError(f"query refused: {body.name} is not a read-only query form")
    projection = None
    if kind == "select" and "projection" in body:
        projection = tuple(str(v) for v in algebra.PV)
    variables = frozenset(str(n) for n in walk(parsed) if isinstance(n, Variable))
    prefixes = {str(d.get("prefix") or ""): str(d.iri) for d in parsed[0]
                if isinstance(d, CompValue) and d.name == "PrefixDecl"}
    return CheckedQuery(kind=kind, projection=projection, variables=variables, prefixes=prefixes), parsed


def check_read_only_apart(text: str) -> tuple[CheckedQuery, object]:
    """:func:`check_read_only_tree` on a short-lived thread of its own.

    For callers that hold engine objects in their frames (a store's ``query`` checking the text it
    built): the parser leaves reference cycles through its frames that only the garbage collector
    frees, and on another thread's collection they would keep the caller's frame, and a pyoxigraph
    result bound to this thread, alive (it then leaks and keeps an on-disk store locked).
    """
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = check_read_only_tree(text)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=run, name="explorer-guard", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        error = box.pop("error")
        assert isinstance(error, BaseException)
        raise error.with_traceback(None)
    return box["value"]  # type: ignore[return-value]


def _allow_recursion() -> None:
    """Let rdflib recurse as deep as a query nested MAX_NESTING deep needs (the default 1,000
    frames stopped at about 30 nested parentheses). Only ever raised, never lowered: another
    thread may be deep in a query right now."""
    if sys.getrecursionlimit() < _RECURSION_NEEDED:
        sys.setrecursionlimit(_RECURSION_NEEDED)


def _refuse_extension_functions(algebra: object) -> None:
    for node in walk(algebra):
        if isinstance(node, CompValue) and node.name == "Function":
            iri = str(node.get("iri") or "")
            if not iri.startswith(ALLOWED_FUNCTION_NAMESPACES):
                raise QueryError(f"query refused: function <{iri}> is not allowed (engines map such IRIs "
                                 "to extensions that can fetch URLs or run commands); use SPARQL's built-in "
                                 "functions, XPath fn: functions or xsd: casts")
        elif isinstance(node, URIRef) and str(node).startswith(REFUSED_NAMESPACES):
            raise QueryError(f"query refused: <{node}> is in a server extension namespace "
                             "(bif:, sql:, OpenLink), which is not allowed")


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
    for node in walk(tree):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryError("query refused: SERVICE is not allowed (it makes the query engine "
                                 "send requests to other servers); query the store's own data")
            if node.name == "DatasetClause":
                raise QueryError("query refused: FROM / FROM NAMED is not allowed (the engine would "
                                 "load graphs from the web or disk); the default graph is the store's "
                                 "graphs already (see --asserted-only)")


def walk(tree: object) -> Iterator[object]:
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
