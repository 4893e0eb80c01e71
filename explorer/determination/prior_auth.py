"""Prior authorization for a coverage question: the policy's cell for the product and setting
asked, else what its sentences say for that product, else for the line of business asked, else for
the whole policy ("prior authorization is required through Carelon"). Sentences at one level that
disagree ("not required at Labcorp ... required for all other vendors") answer unknown, with their
words as the note."""

from __future__ import annotations

from collections.abc import Sequence

from explorer.determination.model import PriorAuthorizationAnswer, Source
from explorer.determination.policy_rows import PriorAuthRow
from explorer.model.iris import LOB, PROD, SETTING, local_name
from explorer.vocab.lexicon import Term


def prior_authorization(rows: Sequence[PriorAuthRow], product: Term | None, setting: Term | None,
                        line_of_business: Term | None) -> PriorAuthorizationAnswer | None:
    """The answer from one policy's prior-authorization rows (cells and sentences, in the
    document's order); None when the policy says nothing that applies."""
    # a place of service the policy does not name ("office") is read as its broader setting ("outpatient")
    settings = [str(SETTING[slug]) for slug in (setting.slug, *setting.broader)] if setting is not None else [None]
    product_iri = None if product is None else str(PROD[product.slug])
    table = [r for r in rows if r.product is not None and r.setting is not None]
    for setting_iri in settings:
        if product_iri is not None and setting_iri is not None:
            cell = [r for r in table if r.product == product_iri and r.setting == setting_iri]
            if cell:
                return _answer(cell[:1])
        else:  # the policy's table for every product or setting not named: one answer only if all cells agree
            cells = [r for r in table if product_iri in (None, r.product) and setting_iri in (None, r.setting)]
            if cells:
                return _table_answer(cells, product, setting)
    sentences = [r for r in rows if (r.product is None or r.setting is None)
                 and (r.setting is None or r.setting in settings)]
    # a sentence on a line of business applies to it and to its narrower lines ("Medicare" to Medicare Advantage)
    lines = ({str(LOB[slug]) for slug in (line_of_business.slug, *line_of_business.broader)}
             if line_of_business else set())
    levels = (
        [r for r in sentences if product_iri is not None and r.product == product_iri],
        [r for r in sentences if r.product is None and r.line_of_business in lines],
        [r for r in sentences if r.product is None and r.line_of_business is None],
    )
    found = next((_answer(level) for level in levels if level), None)
    other_lines = [r for r in sentences if r.product is None and r.line_of_business is not None]
    if found is None and other_lines:  # sentences on lines of business the question does not name
        first = other_lines[0]
        said = "; ".join(dict.fromkeys(f"{local_name(r.line_of_business or '')}: {_word_of(r.required)}"
                                       for r in other_lines))
        return PriorAuthorizationAnswer(None, f"depends on the line of business ({said})",
                                        Source(first.start, first.end, first.quote))
    return found


def _table_answer(cells: Sequence[PriorAuthRow], product: Term | None,
                  setting: Term | None) -> PriorAuthorizationAnswer:
    """The table's answer when the question leaves the product or the setting open: the one value
    all its cells give, else what it depends on ("required: inpatient; not required: outpatient")."""
    values = {c.required for c in cells}
    first = cells[0]
    source = Source(first.start, first.end, first.quote)
    if len(values) == 1:
        return PriorAuthorizationAnswer(next(iter(values)), None, source)
    for open_term, column in ((setting, "setting"), (product, "product")):
        if open_term is not None:
            continue
        by_value: dict[str, set[bool | None]] = {}
        for c in cells:
            by_value.setdefault(local_name(getattr(c, column) or ""), set()).add(c.required)
        if all(len(v) == 1 for v in by_value.values()):  # this column alone decides
            said = "; ".join(f"{_word_of(next(iter(v)))} {k.replace('-', ' ')}" for k, v in sorted(by_value.items()))
            return PriorAuthorizationAnswer(None, f"depends on the {column}: {said}", source)
    return PriorAuthorizationAnswer(None, "depends on the product and setting: name both to get one answer", source)


def _word_of(required: bool | None) -> str:
    return {True: "required", False: "not required", None: "not stated"}[required]


def _answer(rows: Sequence[PriorAuthRow]) -> PriorAuthorizationAnswer:
    values = {r.required for r in rows}
    first = rows[0]
    source = Source(first.start, first.end, first.quote)
    if len(values) == 1:
        note = first.note
        if first.reviewer is not None:
            note = f"through {first.reviewer}" + (f": {note}" if note else "")
        return PriorAuthorizationAnswer(next(iter(values)), note, source)
    words = " / ".join(dict.fromkeys(" ".join(r.quote.split()) for r in rows))
    return PriorAuthorizationAnswer(None, f"the policy's sentences differ: {words}", source)
