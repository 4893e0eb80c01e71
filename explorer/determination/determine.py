"""Answer a coverage question against the store: which policy, which statements, prior auth, evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypedDict

from rdflib import URIRef

from explorer.determination.code_lookup import policies_for_code
from explorer.determination.model import (
    DIAGNOSIS_NEEDED,
    NOT_ADDRESSED,
    Determination,
    DiagnosisAnswer,
    EvidenceItem,
    MatchedStatement,
    Source,
    covers,
)
from explorer.determination.prior_auth import prior_authorization
from explorer.determination.rules import (
    CandidateStatement,
    Decision,
    StatementCondition,
    about_service,
    applies,
    decide,
    for_the_code,
    for_the_diagnosis,
    indication_logic,
    named_tests,
    order_indications,
    ordered_service,
    same_service,
    settle,
    survey,
)
from explorer.errors import UnknownTermError
from explorer.internal_queries import internal_query
from explorer.model.iris import local_name
from explorer.store import PolicyStore
from explorer.vocab.lexicon import Term, TermIndex, load_lexicon


class _Question(TypedDict):
    """The fields every :class:`Determination` for one question shares."""

    code: str
    product: str | None
    setting: str | None
    line_of_business: str | None
    diagnosis: DiagnosisAnswer | None


def _term(index: TermIndex, kind: str, value: str) -> Term:
    term = index.lookup(value) or next((t for t in index if t.slug == value), None)
    if term is None:
        raise UnknownTermError(kind, value, sorted(t.label for t in index))
    return term


def determine(
    store: PolicyStore,
    *,
    code: str,
    diagnosis: str | None,
    product: str | None = None,
    setting: str | None = None,
    prior_hct: str | None = None,
    service: str | None = None,
    line_of_business: str | None = None,
) -> Determination:
    """The determination for ``code`` + ``diagnosis`` (ICD-10-CM) in ``product`` / ``setting``.

    The order is for the policy's service the code names, or for ``service`` (a name of one of the
    policy's services, e.g. "genetic modification of donor lymphocytes"). Without a diagnosis the
    answer is what the policy says per indication (``per_indication``), not one statement's verdict.

    :raises UnknownTermError: product, setting, prior-HCT status or service not known.
    :raises DiagnosisError: the diagnosis is not a valid ICD-10-CM code.
    """
    lexicon = load_lexicon()
    product_term = _term(lexicon.products, "product", product) if product else None
    setting_term = _term(lexicon.settings, "setting", setting) if setting else None
    lob_term = _term(lexicon.lines_of_business, "line of business", line_of_business) if line_of_business else None
    prior = _term(lexicon.statuses, "prior-HCT status", prior_hct).slug if prior_hct else None
    code = code.strip().upper()
    diagnosis_answer = _diagnosis(diagnosis) if diagnosis else None
    base: _Question = {
        "code": code, "product": product_term.label if product_term else None,
        "setting": setting_term.slug if setting_term else None,
        "line_of_business": lob_term.label if lob_term else None, "diagnosis": diagnosis_answer,
    }

    policies = policies_for_code(lambda name, b: _select(store, name, b), code)
    if not policies:
        return Determination(NOT_ADDRESSED, False, (), prior_authorization=None,
                             notes=(f"no policy in the store lists code {code}",), **base)
    best: Determination | None = None
    for row in policies:
        answer = _for_policy(store, row, diagnosis_answer, product_term, setting_term, prior, service, base)
        if answer.determination != NOT_ADDRESSED:
            return answer
        best = best or answer
    assert best is not None
    return best


def _select(store: PolicyStore, name: str, bindings: dict[str, Any] | None = None) -> list[Any]:
    """The rows of internal query ``name`` (``queries/internal``), with attribute access to columns."""
    return list(store.query(internal_query(name), bindings=bindings or {}))


def _diagnosis(code: str) -> DiagnosisAnswer:
    from explorer.diagnoses import lookup_diagnosis

    found = lookup_diagnosis(code)
    return DiagnosisAnswer(found.code, found.description, found.diseases, found.disease_ancestors)


def _for_policy(store: PolicyStore, row: Any, diagnosis: DiagnosisAnswer | None, product: Term | None,
                setting: Term | None, prior: str | None, service: str | None, base: _Question) -> Determination:
    policy = URIRef(str(row.policy))
    candidates = _candidates(store, policy)
    services = [c.statement.service for c in candidates if c.statement.service]
    if service is not None:
        chosen = next((s for s in dict.fromkeys(services) if same_service(service, s)), None)
        if chosen is None:
            raise UnknownTermError(f"service of policy {row.number}", service, sorted(set(services)))
    else:
        chosen = ordered_service(services, None if row.description is None else str(row.description))
    candidates = [c for c in candidates if about_service(c, chosen)]
    codes = {str(r.notation): str(r.description or "") for r in
             _select(store, "coverage-policy-codes", {"policy": policy})}
    if len(codes) > 1:  # a policy of many tests: the statements about the ordered one
        names = {code: named_tests(code, description) for code, description in codes.items()}
        candidates = for_the_code(candidates, names.get(base["code"], frozenset({base["code"].lower()})),
                                  names.values())
    if diagnosis is not None:
        wanted = set(diagnosis.diseases) | set(diagnosis.ancestors)
        candidates = [c for c in candidates if applies(c, wanted)]
    settled = [s for c in candidates if (s := settle(c, prior)) is not None]
    decision: Decision = decide(settled) if diagnosis is not None else survey(settled)
    evidence = _evidence(store, policy, diagnosis, decision, services) if diagnosis is not None else ()
    notes: tuple[str, ...] = ()
    if base["line_of_business"]:
        applies_to = {str(r.name) for r in
                      _select(store, "coverage-applies-to", {"policy": policy})}
        if applies_to and base["line_of_business"] not in applies_to:
            notes += (f"policy {row.number} applies to {', '.join(sorted(applies_to))}, "
                      f"not {base['line_of_business']}",)
    if not decision.statements:
        notes += (f"policy {row.number} lists code {base['code']} but none of its statements "
                 + ("addresses this diagnosis" if diagnosis is not None else "addresses this service"),)
    elif decision.determination == DIAGNOSIS_NEEDED:
        notes += (f"policy {row.number}'s answer depends on the diagnosis: give one (ICD-10-CM); "
                 "what it says per indication is listed",)
    criteria = _criteria(store, decision.statements[0].iri) if diagnosis is not None and decision.statements else None
    if criteria and diagnosis is not None:
        criteria = for_the_diagnosis(criteria, set(diagnosis.diseases) | set(diagnosis.ancestors),
                                     lambda text: {m.term.slug for m in load_lexicon().diseases.find(text)})
    conditional = decision.conditional or (bool(criteria) and covers(decision.determination))
    return Determination(
        decision.determination, conditional, decision.conditions,
        prior_authorization=prior_authorization(lambda name, b: _select(store, name, b), policy, product, setting,
                                                _lob(base["line_of_business"])),
        policy_number=str(row.number), policy_title=str(row.title), policy_iri=str(policy),
        statements=decision.statements, evidence=evidence, notes=notes,
        indications=decision.indications, criteria_logic=decision.criteria_logic, service=chosen,
        per_indication=decision.statements if diagnosis is None else (), criteria=criteria, **base,
    )


def _criteria(store: PolicyStore, statement: str) -> dict[str, Any] | None:
    """The deciding statement's criteria as a tree: ``{"logic", "items": [{"text", "logic", "items"}]}``,
    in the policy's order; None when it lists none."""
    groups: dict[str, dict[str, Any]] = {}
    members: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for r in _select(store, "coverage-criteria", {"statement": URIRef(statement)}):
        logic = None if r.logic is None else str(r.logic)
        if logic == "at-least" and r.minimum is not None:
            logic = f"at-least-{r.minimum}"  # as the facts spell it: at least that many members
        groups[str(r.owner)] = {"logic": logic, "group": str(r.group)}
        if r.criterion is not None:
            members[str(r.group)].append((int(r.position), str(r.criterion), str(r.text)))

    def tree(owner: str) -> dict[str, Any] | None:
        group = groups.get(owner)
        if group is None:
            return None
        items = []
        for _, iri, text in sorted(set(members[group["group"]])):
            sub = tree(iri)
            items.append({"text": text, "logic": sub["logic"] if sub else None,
                          "items": sub["items"] if sub else []})
        return {"logic": group["logic"], "items": items}

    return tree(statement)


def _candidates(store: PolicyStore, policy: URIRef) -> list[CandidateStatement]:
    rows = _select(store, "coverage-statements", {"policy": policy})
    heads: dict[str, dict[str, Any]] = {}
    diseases: dict[str, set[str]] = defaultdict(set)
    conditions: dict[str, dict[str, StatementCondition]] = defaultdict(dict)
    indications: dict[str, set[str]] = defaultdict(set)
    services: dict[str, str] = {}
    for r in rows:
        iri = str(r.statement)
        heads.setdefault(iri, {"number": int(r.number), "status": local_name(str(r.status)), "text": str(r.text),
                               "source": Source(int(r.start), int(r.end), str(r.quote))})
        if r.disease is not None:
            diseases[iri].add(local_name(str(r.disease)))
        if r.condition is not None:
            required = None if r.requiredStatus is None else local_name(str(r.requiredStatus))
            treatment = None if r.priorTreatment is None else str(r.priorTreatment)
            conditions[iri][str(r.condition)] = StatementCondition(str(r.conditionText), str(r.conditionKind), required,
                                                                   treatment)
        if r.indication is not None:
            indications[iri].add(str(r.indication))
        if r.service is not None:
            services.setdefault(iri, local_name(str(r.service)))
    out = []
    for iri, h in sorted(heads.items(), key=lambda kv: kv[1]["number"]):
        ordered = order_indications(h["text"], indications[iri])
        statement = MatchedStatement(iri, h["number"], h["status"], h["text"], h["source"],
                                     tuple(sorted(diseases[iri])), (), ordered,
                                     indication_logic(h["text"], ordered), services.get(iri))
        ordered_conditions = tuple(c for _, c in sorted(conditions[iri].items()))
        out.append(CandidateStatement(statement, ordered_conditions))
    return out


def _lob(label: str | None) -> Term | None:
    return None if label is None else load_lexicon().lines_of_business.lookup(label)


def _evidence(store: PolicyStore, policy: URIRef, diagnosis: DiagnosisAnswer, decision: Decision,
              services: list[str]) -> tuple[EvidenceItem, ...]:
    """The evidence linked to the deciding statement and its indications: references about the
    diagnosis's disease or a broader one (not about sibling diseases), and not about another of the
    policy's services than the statement's (a reference on genetically modified donor lymphocytes
    backs the statement on that service, not the one on plain donor lymphocyte infusion)."""
    if not decision.statements:
        return ()
    own = decision.statements[0].service
    others = {s for s in services if s != own}
    wanted = set(diagnosis.diseases) | set(diagnosis.ancestors)
    about: dict[int, bool] = {}
    off_service: set[int] = set()
    seen: dict[int, EvidenceItem] = {}
    for r in _select(store, "coverage-evidence", {"policy": policy}):
        number = int(r.number)
        about[number] = about.get(number, False) or local_name(str(r.disease)) in wanted
        topic = None if r.topic is None else local_name(str(r.topic))
        if topic and any(same_service(topic, s) for s in others) and not (own and same_service(topic, own)):
            off_service.add(number)
        seen.setdefault(number, EvidenceItem(
            number, None if r.pmid is None else str(r.pmid), None if r.title is None else str(r.title),
            None if r.year is None else int(str(r.year)[:4])))
    return tuple(seen[n] for n in sorted(seen) if about[n] and n not in off_service)
