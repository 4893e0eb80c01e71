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
    # a place of service the policy does not name ("office") is read as its broader setting ("outpatient")
    settings = [SETTING[slug] for slug in (setting.slug, *setting.broader)] if setting is not None else [None]
    for setting_iri in settings:
        if product is not None and setting_iri is not None:
            rows = select("coverage-prior-authorization",
                          {"policy": policy, "product": PROD[product.slug], "setting": setting_iri})
            if rows:
                return _answer(rows[:1])
        else:  # the policy's table for every product or setting not named: one answer only if all cells agree
            cells = select("coverage-prior-authorization", {
                "policy": policy,
                **({"product": PROD[product.slug]} if product is not None else {}),
                **({"setting": setting_iri} if setting_iri is not None else {}),
            })
            if cells:
                return _table_answer(cells, product, setting)
    rows = [r for r in select("coverage-prior-authorization-sentences", {"policy": policy})
            if r.setting is None or URIRef(str(r.setting)) in settings]
    # a sentence on a line of business applies to it and to its narrower lines ("Medicare" to Medicare Advantage)
    lines = {LOB[slug] for slug in (line_of_business.slug, *line_of_business.broader)} if line_of_business else set()
    levels = (
        [r for r in rows if product is not None and r.product is not None
         and URIRef(str(r.product)) == PROD[product.slug]],
        [r for r in rows if r.product is None and r.lineOfBusiness is not None
         and URIRef(str(r.lineOfBusiness)) in lines],
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


def _table_answer(cells: Sequence[Any], product: Term | None, setting: Term | None) -> PriorAuthorizationAnswer:
    """The table's answer when the question leaves the product or the setting open: the one value
    all its cells give, else what it depends on ("required: inpatient; not required: outpatient")."""
    values = {_required(c) for c in cells}
    first = cells[0]
    source = Source(int(first.start), int(first.end), str(first.quote))
    if len(values) == 1:
        return PriorAuthorizationAnswer(next(iter(values)), None, source)
    for open_term, column in ((setting, "setting"), (product, "product")):
        if open_term is not None:
            continue
        by_value: dict[str, set[bool | None]] = {}
        for c in cells:
            by_value.setdefault(local_name(str(getattr(c, column))), set()).add(_required(c))
        if all(len(v) == 1 for v in by_value.values()):  # this column alone decides
            said = "; ".join(f"{_word_of(next(iter(v)))} {k.replace('-', ' ')}" for k, v in sorted(by_value.items()))
            return PriorAuthorizationAnswer(None, f"depends on the {column}: {said}", source)
    return PriorAuthorizationAnswer(None, "depends on the product and setting: name both to get one answer", source)


def _required(row: Any) -> bool | None:
    return None if row.required is None else bool(row.required.toPython())


def _word_of(required: bool | None) -> str:
    return {True: "required", False: "not required", None: "not stated"}[required]


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
