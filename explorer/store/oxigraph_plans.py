"""Plan hints for Oxigraph: the same query, written so its planner joins it the way it runs fastest.

A catalog query stays plain SPARQL 1.1 (it runs on rdflib and SPARQL servers too); one whose header
says ``# plan: optionals-per-row`` is handed to Oxigraph with each ``OPTIONAL { ... }`` wrapped in
``LATERAL { ... }`` (SEP-0006, which Oxigraph implements): the optional part is then looked up for
each row the required part found, instead of being hash-joined. Oxigraph chooses the hash join
when its size estimates say the rows are many; for a query whose required part keeps a few rows
of a large store (``evidence-for-disease``: one disease's references) that hashed every value of
each optional predicate in the store (at 10,000 policies 1.2 s of the query's 1.5 s, and 470-630 MiB
the process kept; ``docs/benchmarks.md``).

A plan is refused unless every ``OPTIONAL`` group holds triple patterns only (no ``FILTER``,
nested group, ``BIND`` ...: under ``LATERAL`` those would see the row's variables, and a ``FILTER``
in an inner group gives other answers on pyoxigraph 0.5); for that shape the answers are the same,
and ``tests/queries/test_plans.py`` runs each planned query both ways on the bundled corpus, whole
and page by page. The rewrite only adds the two tokens around a group the read-only guard
already approved, found with the SPARQL tokenizer (a brace or keyword inside a string or IRI is
part of that token, never structure).
"""

from __future__ import annotations

from functools import lru_cache

from explorer.errors import QueryError
from explorer.sparql import lexer

OPTIONALS_PER_ROW = "optionals-per-row"
PLANS = (OPTIONALS_PER_ROW,)


def planned_text(sparql: str, plan: str | None) -> str:
    """``sparql`` as Oxigraph should receive it under ``plan`` (None: unchanged); a planned text is
    kept for the texts planned most recently (lexed once, not on every run).

    :raises QueryError: an unknown plan, or an ``OPTIONAL`` not followed by a group.
    """
    return sparql if plan is None else _planned(sparql, plan)


@lru_cache(maxsize=64)
def _planned(sparql: str, plan: str) -> str:
    if plan == OPTIONALS_PER_ROW:
        return optionals_per_row(sparql)
    raise QueryError(f"unknown plan {plan!r}; known: {', '.join(PLANS)}")


# Inside a planned OPTIONAL group: triple patterns only. A FILTER, a nested group or OPTIONAL,
# a BIND ... would see the row's variables under LATERAL where the plain query does not (a FILTER in
# an inner group of an OPTIONAL gives other answers on pyoxigraph 0.5).
_NOT_IN_A_PLANNED_GROUP = frozenset({"FILTER", "OPTIONAL", "BIND", "MINUS", "UNION", "VALUES", "SERVICE",
                                     "GRAPH", "EXISTS", "NOT", "SELECT", "LATERAL"})


def optionals_per_row(sparql: str) -> str:
    """Every ``OPTIONAL { ... }`` of ``sparql`` as ``LATERAL { OPTIONAL { ... } }``.

    :raises QueryError: an ``OPTIONAL`` without a group, or whose group holds more than triple
        patterns (the only shape the plan keeps the answers of).
    """
    found = lexer.significant(sparql)
    inserts: list[tuple[int, str]] = []
    for at, token in enumerate(found):
        keyword = _keyword(found, at)
        if keyword != "OPTIONAL":
            continue
        opening = at + 1
        if opening == len(found) or found[opening].text != "{":
            raise QueryError("OPTIONAL without a group: the query cannot be planned")
        try:
            closing = lexer.after_group(found, opening) - 1
        except QueryError as exc:
            raise QueryError(f"{exc}: the query cannot be planned") from None
        inner = [_keyword(found, i) for i in range(opening + 1, closing)]
        nested = any(found[i].kind == "other" and found[i].text == "{" for i in range(opening + 1, closing))
        if nested or _NOT_IN_A_PLANNED_GROUP.intersection(inner):
            raise QueryError("an OPTIONAL group holds more than triple patterns: the query cannot be planned")
        start = token.start + len(token.text) - len(token.text.lstrip("."))  # ``?o .OPTIONAL`` is one word
        inserts += [(start, "LATERAL { "), (found[closing].end, " }")]
    pieces, last = [], 0
    for position, text in sorted(inserts, key=lambda insert: insert[0]):
        pieces += [sparql[last:position], text]
        last = position
    return "".join(pieces) + sparql[last:]


def _keyword(found: list[lexer.Token], at: int) -> str | None:
    """The keyword token ``at`` is (upper case, a leading ``.`` dropped), or None: not a word, or
    a language tag (``"x"@optional``)."""
    token = found[at]
    if token.kind != "word" or (at > 0 and found[at - 1].text == "@"):
        return None
    return token.text.lstrip(".").upper()
