"""Prior authorization for a coverage question: the policy's cell for the product and setting
asked, else what its sentences say for that product, else for the line of business asked, else for
the whole policy ("prior authorization is required through Carelon"). Sentences at one level that
disagree ("not required at Labcorp ... required for all other vendors") answer unknown, with their
words as the note."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rdflib import URIRef

from explorer.determination.model import PriorAuthorizationAnswer, Source
from explorer.model.iris import LOB, PROD, SETTING, local_name
from explorer.vocab.lexicon import Term

Select = Callable[[str, dict[str, Any]], Sequence[Any]]


def prior_authorization(select: Select, policy: URIRef, product: Term | None, setting: Term | None,
                        line_of_business: Term | None) -> PriorAuthorizationAnswer | None:
    """The answer for one policy; None when the policy says nothing that applies."""
    if product is not None and setting is not None:
        rows = select("coverage-prior-authorization",
                      {"policy": policy, "product": PROD[product.slug], "setting": SETTING[setting.slug]})
        if rows:
            return _answer(rows[:1])
    rows = [r for r in select("coverage-prior-authorization-sentences", {"policy": policy})
            if r.setting is None or (setting is not None and URIRef(str(r.setting)) == SETTING[setting.slug])]
    levels = (
        [r for r in rows if product is not None and r.product is not None
         and URIRef(str(r.product)) == PROD[product.slug]],
        [r for r in rows if r.product is None and line_of_business is not None and r.lineOfBusiness is not None
         and URIRef(str(r.lineOfBusiness)) == LOB[line_of_business.slug]],
        [r for r in rows if r.product is None and r.lineOfBusiness is None],
    )
    found = next((_answer(level) for level in levels if level), None)
    other_lines = [r for r in rows if r.product is None and r.lineOfBusiness is not None]
    if found is None and other_lines:  # sentences on lines of business the question does not name
        first = other_lines[0]
        said = "; ".join(dict.fromkeys(f"{local_name(str(r.lineOfBusiness))}: {_word(r.required)}"
                                       for r in other_lines))
        return PriorAuthorizationAnswer(None, f"depends on the line of business ({said})",
                                        Source(int(first.start), int(first.end), str(first.quote)))
    return found


def _word(required: Any) -> str:
    return {True: "required", False: "not required", None: "not stated"}[
        None if required is None else bool(required.toPython())]


def _answer(rows: Sequence[Any]) -> PriorAuthorizationAnswer:
    values = {None if r.required is None else bool(r.required.toPython()) for r in rows}
    first = rows[0]
    source = Source(int(first.start), int(first.end), str(first.quote))
    if len(values) == 1:
        note = None if first.note is None else str(first.note)
        reviewer = getattr(first, "reviewer", None)
        if reviewer is not None:
            note = f"through {reviewer}" + (f": {note}" if note else "")
        return PriorAuthorizationAnswer(next(iter(values)), note, source)
    words = " / ".join(dict.fromkeys(" ".join(str(r.quote).split()) for r in rows))
    return PriorAuthorizationAnswer(None, f"the policy's sentences differ: {words}", source)
