"""Plan hints for Oxigraph: the same query, written so its planner joins it the way it runs fastest.

A catalog query stays plain SPARQL 1.1 (it runs on rdflib and SPARQL servers too); one whose header
says ``# plan: optionals-per-row`` is handed to Oxigraph with each ``OPTIONAL { ... }`` wrapped in
``LATERAL { ... }`` (SEP-0006, which Oxigraph implements): the optional part is then looked up for
each row the required part found, instead of being hash-joined. Oxigraph chooses the hash join
when its size estimates say the rows are many; for a query whose required part keeps a few rows
of a large store (``evidence-for-disease``: one disease's references) that hashed every value of
each optional predicate in the store (at 10,000 policies 1.2 s of the query's 1.5 s, and 470-630 MiB
the process kept; ``docs/benchmarks.md``).

For the shapes the catalog uses (an ``OPTIONAL`` over patterns whose shared variables the required
part binds) the answers are the same: ``tests/queries/test_plans.py`` runs each such query both
ways on the bundled corpus. The rewrite only adds the two tokens around a group the read-only guard
already approved, found with the SPARQL tokenizer (a brace or keyword inside a string or IRI is
part of that token, never structure).
"""

from __future__ import annotations

from explorer.errors import QueryError
from explorer.sparql import lexer

OPTIONALS_PER_ROW = "optionals-per-row"
PLANS = (OPTIONALS_PER_ROW,)


def planned_text(sparql: str, plan: str | None) -> str:
    """``sparql`` as Oxigraph should receive it under ``plan`` (None: unchanged).

    :raises QueryError: an unknown plan, or an ``OPTIONAL`` not followed by a group.
    """
    if plan is None:
        return sparql
    if plan == OPTIONALS_PER_ROW:
        return optionals_per_row(sparql)
    raise QueryError(f"unknown plan {plan!r}; known: {', '.join(PLANS)}")


def optionals_per_row(sparql: str) -> str:
    """Every ``OPTIONAL { ... }`` of ``sparql`` as ``LATERAL { OPTIONAL { ... } }``."""
    found = list(lexer.tokens(sparql))
    inserts: list[tuple[int, str]] = []
    for at, token in enumerate(found):
        if token.kind != "word" or token.text.upper() != "OPTIONAL":
            continue
        opening = next((i for i in range(at + 1, len(found)) if found[i].kind not in ("ws", "comment")), None)
        if opening is None or found[opening].text != "{":
            raise QueryError("OPTIONAL without a group: the query cannot be planned")
        closing = _closing_brace(found, opening)
        inserts += [(token.start, "LATERAL { "), (found[closing].end, " }")]
    pieces, last = [], 0
    for position, text in sorted(inserts, key=lambda insert: insert[0]):
        pieces += [sparql[last:position], text]
        last = position
    return "".join(pieces) + sparql[last:]


def _closing_brace(found: list[lexer.Token], opening: int) -> int:
    depth = 0
    for i in range(opening, len(found)):
        if found[i].kind == "other" and found[i].text == "{":
            depth += 1
        elif found[i].kind == "other" and found[i].text == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryError("unbalanced braces: the query cannot be planned")
