"""What the coverage check reads about one policy, as plain values, and the two ways to read it.

:class:`PolicyFacts` is pure data (strings, ints, bools), in one canonical order, so the two
readers give equal objects for the same store: :func:`read_by_parts` runs the per-part queries
(``coverage-statements``, ``coverage-criteria`` per statement, ... : the reference), and
:func:`read_in_one` runs ``coverage-policy-facts``, one query with the policy bound as an engine
term where the store can (the coverage index's reader). :func:`policies_listing` is the same for
the policies that list a code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rdflib import Literal, URIRef

from explorer.internal_queries import internal_plan, internal_query
from explorer.model.iris import local_name
from explorer.store import PolicyStore


class PolicyHit(NamedTuple):
    """A policy listing the code asked about (``description``: the listing's, None for a range)."""

    policy: str
    number: str
    title: str
    system: str
    description: str | None


class Condition(NamedTuple):
    iri: str
    text: str | None
    kind: str | None
    required_status: str | None  # local name
    prior_treatment: str | None


class StatementFacts(NamedTuple):
    iri: str
    number: int
    status: str  # local name
    text: str
    start: int
    end: int
    quote: str
    diseases: tuple[str, ...]  # local names, sorted
    conditions: tuple[Condition, ...]  # by IRI
    indications: tuple[str, ...]  # sorted; ordered by the sentence later
    service: str | None  # local name


class CriterionRow(NamedTuple):
    owner: str
    group: str
    logic: str | None
    minimum: str | None
    criterion: str | None
    position: int | None
    text: str | None


class EvidenceRow(NamedTuple):
    number: int
    pmid: str | None
    title: str | None
    year: str | None
    disease: str  # local name
    topic: str | None  # local name


class PriorAuthRow(NamedTuple):
    """A prior-authorization cell (product and setting) or sentence, start first: rows sort as the
    document prints them."""

    start: int
    end: int
    quote: str
    product: str | None  # IRIs
    setting: str | None
    line_of_business: str | None
    required: bool | None
    note: str | None
    reviewer: str | None


@dataclass(frozen=True)
class PolicyFacts:
    """Everything the determination reads about one policy."""

    statements: tuple[StatementFacts, ...]  # by number
    codes: tuple[tuple[str, str | None], ...]  # (notation, description)
    criteria: tuple[CriterionRow, ...]
    evidence: tuple[EvidenceRow, ...]
    prior_authorization: tuple[PriorAuthRow, ...]
    applies_to: tuple[str, ...]


Row = Mapping[str, Any]


def text(term: Any) -> str | None:
    """A term's lexical form or IRI (an rdflib term or a pyoxigraph one), None when unbound."""
    if term is None:
        return None
    return str(term) if isinstance(term, str) else str(getattr(term, "value", term))


def _int(term: Any) -> int | None:
    value = text(term)
    return None if value is None else int(value)


def _local(term: Any) -> str | None:
    value = text(term)
    return None if value is None else local_name(value)


def _bool(term: Any) -> bool | None:
    value = text(term)
    return None if value is None else value.strip().lower() in ("true", "1")


def select(store: PolicyStore, name: str, bindings: Mapping[str, Any], *, as_terms: bool = False) -> list[Row]:
    """Rows of internal query ``name`` as ``{column: term}``; ``as_terms``: the values bound as
    engine terms where the store can (Oxigraph: no text to re-check; the bound variables must be
    projected), else through the store's ``query`` (a VALUES block)."""
    sparql = internal_query(name)
    bound = getattr(store, "query_terms", None) if as_terms else None
    if bound is not None and bindings:
        names, rows = bound(sparql, bindings, plan=internal_plan(name))
        return [dict(zip(names, row, strict=True)) for row in rows]
    result = store.query(sparql, bindings=bindings)
    names = [str(v) for v in result.vars or ()]
    return [{n: row[n] for n in names} for row in result]  # type: ignore[index]


def policies_listing(store: PolicyStore, code: str, *, as_terms: bool = False) -> list[PolicyHit]:
    """The policies that list ``code`` as printed, by number (not the ranges: see coverage_index)."""
    rows = select(store, "coverage-policies-for-code", {"code": Literal(code)}, as_terms=as_terms)
    hits = {PolicyHit(text(r["policy"]) or "", text(r["number"]) or "", text(r["title"]) or "",
                      text(r["system"]) or "", text(r.get("description"))) for r in rows}
    return sorted(hits, key=lambda h: (h.number, h))


def listed_ranges(store: PolicyStore) -> list[tuple[PolicyHit, str]]:
    """Every code range a policy lists, with its policy (one query, nothing bound)."""
    out = []
    for r in select(store, "coverage-policies-listing-ranges", {}):
        system = (text(r["system"]) or "").upper()
        out.append((PolicyHit(text(r["policy"]) or "", text(r["number"]) or "", text(r["title"]) or "", system, None),
                    text(r["range"]) or ""))
    return sorted(set(out), key=lambda hr: (hr[0].number, hr[1], hr))


def read_by_parts(store: PolicyStore, policy: str) -> PolicyFacts:
    """The reference reader: one query per part, the criteria one per statement."""
    bound = {"policy": URIRef(policy)}
    statement_rows = select(store, "coverage-statements", bound)
    criteria = [r for iri in sorted({text(r["statement"]) or "" for r in statement_rows})
                for r in select(store, "coverage-criteria", {"statement": URIRef(iri)})]
    cells = select(store, "coverage-prior-authorization", bound)
    return _facts(statement_rows, select(store, "coverage-policy-codes", bound), criteria,
                  select(store, "coverage-evidence", bound),
                  cells + select(store, "coverage-prior-authorization-sentences", bound),
                  select(store, "coverage-applies-to", bound))


def read_in_one(store: PolicyStore, policy: str) -> PolicyFacts:
    """The index's reader: ``coverage-policy-facts``, one request."""
    parts: dict[str, list[Row]] = defaultdict(list)
    for r in select(store, "coverage-policy-facts", {"policy": URIRef(policy)}, as_terms=True):
        parts[text(r["part"]) or ""].append(r)
    statement_rows = [r for p in ("statement", "statement-disease", "condition", "indication", "service")
                      for r in parts[p]]
    return _facts(statement_rows, parts["code"], parts["criterion"], parts["evidence"],
                  parts["prior-authorization"], parts["applies-to"])


def _facts(statements: Iterable[Row], codes: Iterable[Row], criteria: Iterable[Row], evidence: Iterable[Row],
           prior_authorization: Iterable[Row], applies_to: Iterable[Row]) -> PolicyFacts:
    return PolicyFacts(
        _statements(statements),
        tuple(sorted({(text(r["notation"]) or "", text(r.get("description"))) for r in codes},
                     key=_none_first)),
        tuple(sorted({CriterionRow(text(r["owner"]) or "", text(r["group"]) or "", text(r.get("logic")),
                                   text(r.get("minimum")), text(r.get("criterion")), _int(r.get("position")),
                                   text(r.get("text"))) for r in criteria}, key=_none_first)),
        tuple(sorted({EvidenceRow(_int(r["number"]) or 0, text(r.get("pmid")), text(r.get("title")),
                                  text(r.get("year")), _local(r["disease"]) or "", _local(r.get("topic")))
                      for r in evidence}, key=_none_first)),
        tuple(sorted({_prior_authorization(r) for r in prior_authorization}, key=_none_first)),
        tuple(sorted({text(r["name"]) or "" for r in applies_to})),
    )


def _prior_authorization(r: Row) -> PriorAuthRow:
    product, setting = text(r.get("product")), text(r.get("setting"))
    cell = product is not None and setting is not None  # a table cell's answer names no reviewer
    return PriorAuthRow(_int(r["start"]) or 0, _int(r["end"]) or 0, text(r["quote"]) or "", product, setting,
                        text(r.get("lineOfBusiness")), _bool(r.get("required")), text(r.get("note")),
                        None if cell else text(r.get("reviewer")))


def _statements(rows: Iterable[Row]) -> tuple[StatementFacts, ...]:
    """Statements from rows carrying any of their properties (the reference's rows carry all at once)."""
    heads: dict[str, tuple[int, str, str, int, int, str]] = {}
    diseases: dict[str, set[str]] = defaultdict(set)
    conditions: dict[str, dict[str, dict[str, str | None]]] = defaultdict(lambda: defaultdict(dict))
    indications: dict[str, set[str]] = defaultdict(set)
    services: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        iri = text(r["statement"]) or ""
        if r.get("number") is not None:
            head = (_int(r["number"]) or 0, _local(r["status"]) or "", text(r["text"]) or "",
                    _int(r["start"]) or 0, _int(r["end"]) or 0, text(r["quote"]) or "")
            heads[iri] = min(heads.get(iri, head), head)
        if r.get("disease") is not None:
            diseases[iri].add(_local(r["disease"]) or "")
        if r.get("condition") is not None:
            fields = conditions[iri][text(r["condition"]) or ""]
            for column in ("conditionText", "conditionKind", "requiredStatus", "priorTreatment"):
                if r.get(column) is not None:
                    fields[column] = text(r[column])
        if r.get("indication") is not None:
            indications[iri].add(text(r["indication"]) or "")
        if r.get("service") is not None:
            services[iri].add(_local(r["service"]) or "")
    out = []
    for iri, (number, status, body, start, end, quote) in heads.items():
        conds = tuple(Condition(c, f.get("conditionText"), f.get("conditionKind"),
                                None if f.get("requiredStatus") is None else local_name(f["requiredStatus"] or ""),
                                f.get("priorTreatment"))
                      for c, f in sorted(conditions[iri].items()))
        out.append(StatementFacts(iri, number, status, body, start, end, quote, tuple(sorted(diseases[iri])), conds,
                                  tuple(sorted(indications[iri])), min(services[iri], default=None)))
    return tuple(sorted(out, key=lambda s: (s.number, s.iri)))


def _none_first(row: Sequence[Any]) -> tuple[tuple[bool, Any], ...]:
    """A sort key for rows holding None in any column."""
    return tuple((value is not None, value) for value in row)
