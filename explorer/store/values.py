"""Bind variables in query text for SPARQL endpoints, which have no binding parameter.

The values become an inline ``VALUES`` block placed first in the outermost WHERE group (so they
restrict the pattern before grouping, like rdflib's ``initBindings``). Terms are written with
``Node.n3()``, the N-Triples escaping, so no value can change the query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from explorer.errors import QueryError

# Comments, IRIs and strings, masked so their braces and keywords are not mistaken for syntax.
_NOISE = re.compile(
    r"#[^\n]*|<[^<>\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
)
_CONSTRUCT_TEMPLATE = re.compile(r"\bCONSTRUCT\s*\{", re.IGNORECASE)
_CONSTRUCT_SHORT = re.compile(r"\bCONSTRUCT\s+WHERE\b", re.IGNORECASE)


def _mask(sparql: str) -> str:
    return _NOISE.sub(lambda m: " " * len(m.group(0)), sparql)


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for the given bindings."""
    names, terms = [], []
    for name, term in bindings.items():
        if not isinstance(term, URIRef | Literal):
            raise QueryError(f"cannot bind ?{name} to {term!r} on a SPARQL endpoint (IRIs and literals only)")
        if not re.fullmatch(r"[A-Za-z0-9_\u00B7-\uFFFF]+", str(name)):
            raise QueryError(f"invalid variable name {name!r}")
        names.append(f"?{name}")
        terms.append(term.n3())
    return "VALUES (" + " ".join(names) + ") { (" + " ".join(terms) + ") }"


def _matching_brace(masked: str, start: int) -> int:
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryError("unbalanced braces in SPARQL query")


def inject_bindings(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """``sparql`` with ``bindings`` added as a VALUES block (unchanged when there are none)."""
    if not bindings:
        return sparql
    block = values_block(bindings)
    masked = _mask(sparql)
    if _CONSTRUCT_SHORT.search(masked):
        # CONSTRUCT WHERE { ... }: the pattern is also the template, so only a trailing VALUES fits.
        return sparql + "\n" + block
    search_from = 0
    template = _CONSTRUCT_TEMPLATE.search(masked)
    if template:
        search_from = _matching_brace(masked, template.end() - 1) + 1
    brace = masked.find("{", search_from)
    if brace < 0:
        raise QueryError("SPARQL query has no WHERE group to bind values in")
    return sparql[: brace + 1] + " " + block + " " + sparql[brace + 1 :]
