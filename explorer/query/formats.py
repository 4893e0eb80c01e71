"""QueryResult -> text: CSV, TSV, SPARQL 1.1 Results JSON, Turtle for graph results, and plain cells."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from explorer.query.plain import OxCell, PlainRows, is_iri, plain_cell, plain_json_term
from explorer.query.runner import QueryResult


def cell(term: Node | None) -> str:
    """A term as plain text: the IRI, the literal's lexical form, ``_:id`` for a blank node, "" if unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (SELECT/ASK); graph results as JSON-LD."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    if result.kind == "graph":
        assert result.graph is not None
        return result.graph.serialize(format="json-ld")
    if isinstance(result.rows, PlainRows):  # the engine's terms, written as they are
        bindings: list[dict[str, Any]] = [
            {c: plain_json_term(v) for c, v in zip(result.columns, row, strict=False) if v is not None}
            for row in result.rows.raw
        ]
    else:
        bindings = [
            {c: _json_term(v) for c, v in zip(result.columns, row, strict=False) if v is not None}
            for row in result.rows
        ]
    return json.dumps({"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}, indent=1,
                      ensure_ascii=False)


def to_delimited(result: QueryResult, delimiter: str = ",") -> str:
    """CSV (or TSV with ``delimiter="\\t"``) with a header row; ASK gives one ``boolean`` column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow([str(result.boolean).lower()])
    elif result.kind == "graph":
        assert result.graph is not None
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([cell(s), cell(p), cell(o)] for s, p, o in sorted(result.graph))
    else:
        writer.writerow(result.columns)
        if isinstance(result.rows, PlainRows):
            writer.writerows([plain_cell(v) for v in row] for row in result.rows.raw)
        else:
            writer.writerows([cell(v) for v in row] for row in result.rows)
    return buffer.getvalue()


def to_table_rows(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """(header, rows) for a terminal table, IRIs shortened with the query's prefixes."""
    def short(term: Node | None) -> str:
        text = cell(term)
        if isinstance(term, URIRef):
            for prefix, ns in sorted(result.prefixes.items(), key=lambda kv: -len(kv[1])):
                if text.startswith(ns):
                    return f"{prefix}:{text[len(ns):]}"
        return text

    def short_plain(term: OxCell) -> str:
        text = plain_cell(term)
        if is_iri(term):
            for prefix, ns in sorted(result.prefixes.items(), key=lambda kv: -len(kv[1])):
                if text.startswith(ns):
                    return f"{prefix}:{text[len(ns):]}"
        return text

    if result.kind == "ask":
        return ["boolean"], [[str(result.boolean).lower()]]
    if result.kind == "graph":
        assert result.graph is not None
        return ["subject", "predicate", "object"], [[short(s), short(p), short(o)] for s, p, o in sorted(result.graph)]
    if isinstance(result.rows, PlainRows):
        return list(result.columns), [[short_plain(v) for v in row] for row in result.rows.raw]
    return list(result.columns), [[short(v) for v in row] for row in result.rows]
