"""SPARQL parsing made safe for threads: pyparsing's first use of a grammar rule is not.

pyparsing finds the arity of each parse action by trial calls the first time it runs, and that is
not thread-safe; the endpoint parses a spread of queries before clients arrive
(:func:`warm_up_parser`) and each new query text once under a lock (:func:`parse_once_alone`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable

from explorer.errors import ExplorerError

#: Queries that use most of SPARQL's grammar, parsed once before serving (see warm_up_parser).
WARM_UP_QUERIES = (
    "PREFIX x: <http://example.org/> SELECT DISTINCT ?s (COUNT(?o) AS ?n) (SAMPLE(?o) AS ?m) "
    "(GROUP_CONCAT(STR(?o); separator=\",\") AS ?g) WHERE { { ?s x:p/x:q* ?o } UNION { ?s ^x:r|x:t+ ?o } "
    "OPTIONAL { ?o x:a ?b FILTER(REGEX(STR(?b), \"a\", \"i\") && LANG(?b) = \"en\" || ?b > 1.5e0) } "
    "MINUS { ?s a x:C } BIND(IF(BOUND(?b), CONCAT(\"a\", LCASE(?b)), \"\") AS ?c) "
    "VALUES ?v { 1 \"x\"@en <http://example.org/y> UNDEF } FILTER NOT EXISTS { GRAPH ?gr { ?s ?p 1 } } "
    "FILTER(?s IN (x:a, x:b) && isIRI(?s) && STRSTARTS(STR(?s), \"h\") && xsd:integer(\"1\") = 1) "
    "{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } } GROUP BY ?s HAVING (COUNT(?o) > 0) ORDER BY DESC(?n) ?s "
    "LIMIT 10 OFFSET 1",
    "ASK { ?s ?p \"x\"^^<http://www.w3.org/2001/XMLSchema#string> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    "DESCRIBE <http://example.org/a>",
)


def warm_up_parser(extra: Iterable[str] = ()) -> None:
    """Parse a spread of queries once, before clients arrive. pyparsing finds the arity of each
    parse action by trial calls the first time it runs, and that is not thread-safe: the first
    queries of a process, parsed by several threads at once, came back "malformed" or as a 500
    (``Param.postParse2() missing 1 required positional argument``) although they were valid."""
    from explorer.sparql.guard import check_read_only

    for text in (*WARM_UP_QUERIES, *extra):
        with contextlib.suppress(ExplorerError):
            check_read_only(text)


_PARSE_LOCK = threading.Lock()
_PARSED: dict[str, None] = {}  # texts parsed under the lock, oldest first (bounded)
_PARSED_MAX = 512


def parse_once_alone(text: str) -> None:
    """Parse ``text`` once under a lock before it runs (the run parses it again, unlocked). The
    warm-up cannot reach every grammar rule, and a rule's first use by two threads at once is what
    breaks (see :func:`warm_up_parser`); after one locked parse of this text, every rule it needs
    has had its first use. Parsing is pure Python and holds the GIL anyway, so the lock costs no
    parallelism; a malformed or refused text is left for the run to report."""
    from explorer.sparql.guard import check_read_only

    with _PARSE_LOCK:
        if text in _PARSED:
            return
        with contextlib.suppress(Exception):  # only a warm-up: the run itself reports what is wrong
            check_read_only(text)
        _PARSED[text] = None
        if len(_PARSED) > _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]
