"""``FROM`` / ``FROM NAMED`` over the store's own graphs, read like ``default-graph-uri`` /
``named-graph-uri``.

``SELECT ... FROM <g1> FROM <g2> FROM NAMED <g3> WHERE { ... }`` asks for the union of g1 and g2 as
the default graph and g3 as the only graph ``GRAPH`` patterns see. The endpoint accepts that when
every IRI names a graph of this store: the clauses are cut out of the text (at the positions
:mod:`explorer.sparql.lexer` finds, never by a regex) and the IRIs become the query's dataset;
nothing is ever fetched. Everything else keeps the guard's refusal: an IRI the store does not hold,
a prefixed name or a ``BASE``-relative IRI (400 here). Text that still holds a ``FROM`` after the
cut is refused by the guard as before. A part of the dataset the query does not name stays the
whole store (all graphs' union as default graph, every graph for ``GRAPH``).
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.endpoint.protocol import ProtocolError
from explorer.errors import QueryError
from explorer.sparql.lexer import significant, where_group_start


@dataclass(frozen=True)
class Dataset:
    """A query's text without its ``FROM`` clauses, and the graphs they named."""

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def split_dataset(text: str, known_graphs: set[str]) -> Dataset:
    """``text`` with its ``FROM [NAMED] <iri>`` clauses cut out and their IRIs, if any.

    :raises ProtocolError: 400 for a prefixed or relative IRI, or a graph this store does not hold.
    """
    try:
        toks = significant(text)
        where = where_group_start(text)
    except QueryError:
        return Dataset(text)  # no query form: the guard says what is wrong
    if any(t.kind == "word" and t.text.upper() == "BASE" for t in toks):
        if any(t.kind == "word" and t.text.upper() == "FROM" for t in toks):
            raise ProtocolError(400, "FROM with a BASE is not accepted: write the graph's full IRI without BASE")
        return Dataset(text)
    cuts: list[tuple[int, int]] = []
    graphs: list[str] = []
    named: list[str] = []
    limit = where if where is not None else len(text)
    i = 0
    while i < len(toks):
        token = toks[i]
        if token.start >= limit:
            break
        if token.kind == "word" and token.text.upper() == "FROM":
            after = toks[i + 1] if i + 1 < len(toks) else None
            is_named = after is not None and after.kind == "word" and after.text.upper() == "NAMED"
            clause = "FROM NAMED" if is_named else "FROM"
            if is_named:
                i += 1
                after = toks[i + 1] if i + 1 < len(toks) else None
            if after is None or after.kind != "iri":
                raise ProtocolError(400, f"{clause} takes a graph's full IRI in <...> "
                                    "(prefixed names are not accepted)")
            iri = after.text[1:-1]
            if iri not in known_graphs:
                raise ProtocolError(400, f"{clause} {iri!r} is not a graph of this store (GET /sparql lists them); "
                                    "nothing is ever fetched")
            (named if is_named else graphs).append(iri)
            cuts.append((token.start, after.start + len(after.text)))
            i += 2
            continue
        i += 1
    if not cuts:
        return Dataset(text)
    out, pos = [], 0
    for start, end in cuts:
        out += [text[pos:start], " "]
        pos = end
    out.append(text[pos:])
    return Dataset("".join(out), tuple(dict.fromkeys(graphs)), tuple(dict.fromkeys(named)))
