"""Run one query over the SPARQL 1.1 Protocol and turn the answer into an rdflib ``Result``.

SELECT answers are read as SPARQL JSON (Virtuoso's RDF/XML SELECT breaks rdflib's parser),
CONSTRUCT and DESCRIBE as N-Triples, else Turtle (formats that cannot make the parser fetch
anything); N-Triples first because Virtuoso 7.2's Turtle writer prints ``"60"^^xsd:decimal`` as
``60``, an integer. Virtuoso writes booleans as ``1``/``0`` in JSON; they are read back as the
canonical ``true``/``false``.

Never a silently truncated answer: Virtuoso stops a SELECT at ``[SPARQL] ResultSetMaxRows`` and
says so only with an ``X-SPARQL-MaxRows: N`` header (sent when exactly N rows come back). Then a
query without a LIMIT or OFFSET of its own is read again in pages (``LIMIT N OFFSET k*N``, the
same plan each time) until a page is short; a query with its own LIMIT above N raises
:class:`QueryError`. Virtuoso refuses ``ORDER BY`` pages beyond ``MaxSortedTopRows`` (SR353), which
also surfaces as ``QueryError``. CONSTRUCT is not cut at ``ResultSetMaxRows`` (measured: 100,000
triples with a limit of 100).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import QueryError, StoreError
from explorer.store.results import ask_result, graph_result, query_form, select_result
from explorer.store.sparql_http import Answer

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.5"  # Virtuoso 7.2 writes 60.0 as "60" in Turtle
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt"}
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {"1": "true", "0": "false"}

# Comments, IRIs and strings, masked so their braces and keywords are not mistaken for syntax.
_NOISE = re.compile(
    r"#[^\n]*|<[^<>\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
)
_MODIFIER = re.compile(r"\b(LIMIT|OFFSET|VALUES)\b", re.IGNORECASE)
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)

Post = Callable[[list[tuple[str, str]], str], Answer]


def run_query(post: Post, endpoint: str, sparql: str, dataset: Sequence[tuple[str, str]] = ()) -> Result:
    """Run ``sparql``, sending the protocol parameters ``dataset`` (e.g. ``default-graph-uri``) along."""
    dataset = list(dataset)
    form = query_form(sparql)
    if form in ("CONSTRUCT", "DESCRIBE"):
        return graph_result(_read_graph(post([("query", sparql), *dataset], GRAPH_ACCEPT), endpoint), form)
    answer = post([("query", sparql), *dataset], SELECT_ACCEPT)
    payload = _json(answer, endpoint)
    if "boolean" in payload:
        return ask_result(bool(payload["boolean"]))
    variables, rows = _rows(payload, endpoint)
    cap = _row_cap(answer)
    if cap is not None and len(rows) >= cap:
        rows += _more_pages(post, endpoint, sparql, dataset, cap)
    return select_result(variables, rows)


def _more_pages(
    post: Post, endpoint: str, sparql: str, dataset: list[tuple[str, str]], cap: int
) -> list[dict[str, Node | None]]:
    """The rows after the first ``cap``, page by page; QueryError when paging cannot be done."""
    tail = _top_level_tail(sparql)
    own_limit = _LIMIT.search(tail)
    if own_limit and int(own_limit.group(1)) <= cap:
        return []  # exactly the rows the query asked for
    if _MODIFIER.search(tail):
        raise QueryError(
            f"SPARQL endpoint {endpoint} returned only its first {cap} rows (its ResultSetMaxRows) and the "
            "query's own LIMIT/OFFSET/VALUES leaves no room to read the rest in pages; lower the LIMIT "
            f"to at most {cap} or raise ResultSetMaxRows on the server"
        )
    rows: list[dict[str, Node | None]] = []
    offset = cap
    while True:
        page = f"{sparql}\nLIMIT {cap} OFFSET {offset}"
        answer = post([("query", page), *dataset], SELECT_ACCEPT)
        _, found = _rows(_json(answer, endpoint), endpoint)
        rows += found
        page_cap = _row_cap(answer)
        if len(found) < cap or page_cap is None:
            return rows
        if page_cap < cap:
            raise QueryError(f"SPARQL endpoint {endpoint} changed its row limit while paging ({cap} -> {page_cap})")
        offset += cap


def _row_cap(answer: Answer) -> int | None:
    value = answer.headers.get(MAX_ROWS_HEADER)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _top_level_tail(sparql: str) -> str:
    """The text after the query's WHERE group (its solution modifiers and any VALUES), masked."""
    masked = _NOISE.sub(lambda m: " " * len(m.group(0)), sparql)
    depth = 0
    for i, ch in enumerate(masked):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return masked[i + 1 :]
    return ""


def _json(answer: Answer, endpoint: str) -> Mapping[str, object]:
    try:
        payload = json.loads(answer.body)
    except ValueError as exc:
        raise StoreError(f"unreadable JSON answer from {endpoint}: {exc}") from exc
    if not isinstance(payload, dict):
        raise StoreError(f"unexpected JSON answer from {endpoint}: not an object")
    return payload


def _rows(payload: Mapping[str, object], endpoint: str) -> tuple[list[str], list[dict[str, Node | None]]]:
    try:
        variables = list(payload["head"]["vars"])  # type: ignore[index]
        bindings = payload["results"]["bindings"]  # type: ignore[index]
        rows = [{name: _json_term(b[name]) if name in b else None for name in variables} for b in bindings]
    except (KeyError, TypeError) as exc:
        raise StoreError(f"malformed SPARQL JSON results from {endpoint}: missing {exc}") from exc
    return variables, rows


def _json_term(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype == XSD_BOOLEAN:
        return Literal(_BOOLEANS.get(value["value"], value["value"]), datatype=URIRef(datatype))
    if datatype and datatype != XSD_STRING:
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def _read_graph(answer: Answer, endpoint: str) -> Graph:
    if answer.content_type not in RDF_FORMATS:
        raise StoreError(f"{endpoint} answered {answer.content_type}; expected Turtle or N-Triples")
    graph = Graph()
    try:
        graph.parse(data=answer.body.decode("utf-8"), format=RDF_FORMATS[answer.content_type])
    except Exception as exc:  # rdflib raises many parser-specific types
        raise StoreError(f"unreadable {answer.content_type} answer from {endpoint}: {exc}") from exc
    return graph
