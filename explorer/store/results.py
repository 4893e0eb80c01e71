"""Build rdflib ``Result`` objects so callers see one result type whatever the backend."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node


def select_result(variables: Sequence[str], rows: Iterable[Mapping[str, Node | None]]) -> Result:
    """A SELECT result; unbound values (None) are left out of each row's bindings.

    Rows are read lazily (rdflib's ``Result`` keeps a generator until it is iterated), so a caller
    that stops at a row limit stops the engine too.
    """
    result = Result("SELECT")
    result.vars = [Variable(v) for v in variables]
    result.bindings = (  # a generator: rdflib's Result stays lazy
        {Variable(name): cast(Identifier, value) for name, value in row.items() if value is not None} for row in rows
    )
    return result


def ask_result(answer: bool) -> Result:
    result = Result("ASK")
    result.askAnswer = bool(answer)
    return result


def graph_result(graph: Graph, kind: str = "CONSTRUCT") -> Result:
    """A CONSTRUCT or DESCRIBE result; iterating it yields the graph's triples."""
    result = Result(kind)
    result.graph = graph
    return result


_NOISE = re.compile(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query-form keyword outside IRIs, strings, comments."""
    match = _FORM.search(_NOISE.sub(" ", sparql))
    return match.group(1).upper() if match else "SELECT"
