"""Answer a coverage question against the store: which policy, which statements, prior auth, evidence."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any, TypedDict

from explorer.determination.coverage_index import CoverageIndex, QueryPath, coverage_index, is_current
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
from explorer.determination.policy_rows import CriterionRow, EvidenceRow, PolicyFacts, PolicyHit
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
    use_index: bool = True,
) -> Determination:
    """The determination for ``code`` + ``diagnosis`` (ICD-10-CM) in ``product`` / ``setting``.

    The order is for the policy's service the code names, or for ``service`` (a name of one of the
    policy's services, e.g. "genetic modification of donor lymphocytes"). Without a diagnosis the
    answer is what the policy says per indication (``per_indication``), not one statement's verdict.

    What it reads comes from the store's coverage index (``use_index``: read once per store
    revision, :mod:`explorer.determination.coverage_index`), else from the store, part by part.

    :raises UnknownTermError: product, setting, prior-HCT status or service not known.
    :raises DiagnosisError: the diagnosis is not a valid ICD-10-CM code.
    """
    index = coverage_index(store) if use_index else None
    question = (code, diagnosis, product, setting, prior_hct, service, line_of_business)
    known = index.answer(question) if index is not None else None
    if known is not None:
        return known
    answer = determine_from(index or QueryPath(store), code=code, diagnosis=diagnosis, product=product, setting=setting,
                        prior_hct=prior_hct, service=service, line_of_business=line_of_business)
    if index is not None and is_current(index, store):
        index.remember(question, answer)
    return answer


def determine_from(reader: CoverageIndex | QueryPath, *, code: str, diagnosis: str | None, product: str | None = None,
                   setting: str | None = None, prior_hct: str | None = None, service: str | None = None,
                   line_of_business: str | None = None) -> Determination:
    """:func:`determine` reading through ``reader`` (an index, or the store part by part), nothing kept."""
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

    policies = reader.policies_for_code(code)
    if not policies:
        return Determination(NOT_ADDRESSED, False, (), prior_authorization=None,
                             notes=(f"no policy in the store lists code {code}",), **base)
    best: Determination | None = None
    for row in policies:
        answer = _for_policy(reader.facts(row.policy), row, diagnosis_answer, product_term, setting_term, prior,
                             service, base)
        if answer.determination != NOT_ADDRESSED:
            return answer
        best = best or answer
    assert best is not None
    return best


@lru_cache(maxsize=1024)
def _diagnosis(code: str) -> DiagnosisAnswer:
    from explorer.diagnoses import lookup_diagnosis

    found = lookup_diagnosis(code)
    return DiagnosisAnswer(found.code, found.description, found.diseases, found.disease_ancestors)


def _for_policy(facts: PolicyFacts, row: PolicyHit, diagnosis: DiagnosisAnswer | None, product: Term | None,
                setting: Term | None, prior: str | None, service: str | None, base: _Question) -> Determination:
    policy = row.policy
    candidates = _candidates(facts)
    services = [c.statement.service for c in candidates if c.statement.service]
    if service is not None:
        chosen = next((s for s in dict.fromkeys(services) if same_service(service, s)), None)
        if chosen is None:
            raise UnknownTermError(f"service of policy {row.number}", service, sorted(set(services)))
    else:
        chosen = ordered_service(services, row.description)
    candidates = [c for c in candidates if about_service(c, chosen)]
    codes = {notation: description or "" for notation, description in facts.codes}
    if len(codes) > 1:  # a policy of many tests: the statements about the ordered one
        names = {code: named_tests(code, description) for code, description in codes.items()}
        candidates = for_the_code(candidates, names.get(base["code"], frozenset({base["code"].lower()})),
                                  names.values())
    if diagnosis is not None:
        wanted = set(diagnosis.diseases) | set(diagnosis.ancestors)
        candidates = [c for c in candidates if applies(c, wanted)]
    settled = [s for c in candidates if (s := settle(c, prior)) is not None]
    decision: Decision = decide(settled) if diagnosis is not None else survey(settled)
    evidence = _evidence(facts.evidence, diagnosis, decision, services) if diagnosis is not None else ()
    notes: tuple[str, ...] = ()
    if base["line_of_business"]:
        applies_to = set(facts.applies_to)
        if applies_to and base["line_of_business"] not in applies_to:
            notes += (f"policy {row.number} applies to {', '.join(sorted(applies_to))}, "
                      f"not {base['line_of_business']}",)
    if not decision.statements:
        notes += (f"policy {row.number} lists code {base['code']} but none of its statements "
                 + ("addresses this diagnosis" if diagnosis is not None else "addresses this service"),)
    elif decision.determination == DIAGNOSIS_NEEDED:
        notes += (f"policy {row.number}'s answer depends on the diagnosis: give one (ICD-10-CM); "
                 "what it says per indication is listed",)
    criteria = (_criteria(facts.criteria, decision.statements[0].iri)
                if diagnosis is not None and decision.statements else None)
    if criteria and diagnosis is not None:
        criteria = for_the_diagnosis(criteria, set(diagnosis.diseases) | set(diagnosis.ancestors),
                                     lambda text: {m.term.slug for m in load_lexicon().diseases.find(text)})
    conditional = decision.conditional or (bool(criteria) and covers(decision.determination))
    return Determination(
        decision.determination, conditional, decision.conditions,
        prior_authorization=prior_authorization(facts.prior_authorization, product, setting,
                                                _lob(base["line_of_business"])),
        policy_number=str(row.number), policy_title=str(row.title), policy_iri=str(policy),
        statements=decision.statements, evidence=evidence, notes=notes,
        indications=decision.indications, criteria_logic=decision.criteria_logic, service=chosen,
        per_indication=decision.statements if diagnosis is None else (), criteria=criteria, **base,
    )


def _criteria(rows: tuple[CriterionRow, ...], statement: str) -> dict[str, Any] | None:
    """The deciding statement's criteria as a tree: ``{"logic", "items": [{"text", "logic", "items"}]}``,
    in the policy's order; None when it lists none."""
    groups: dict[str, dict[str, Any]] = {}
    members: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for r in rows:
        logic = r.logic
        if logic == "at-least" and r.minimum is not None:
            logic = f"at-least-{r.minimum}"  # as the facts spell it: at least that many members
        groups[r.owner] = {"logic": logic, "group": r.group}
        if r.criterion is not None:
            members[r.group].append((int(r.position or 0), r.criterion, str(r.text)))

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


def _candidates(facts: PolicyFacts) -> list[CandidateStatement]:
    out = []
    for f in facts.statements:  # by number
        ordered = order_indications(f.text, set(f.indications))
        statement = MatchedStatement(f.iri, f.number, f.status, f.text, Source(f.start, f.end, f.quote),
                                     f.diseases, (), ordered, indication_logic(f.text, ordered), f.service)
        conditions = tuple(StatementCondition(str(c.text), str(c.kind), c.required_status, c.prior_treatment)
                           for c in f.conditions)
        out.append(CandidateStatement(statement, conditions))
    return out


def _lob(label: str | None) -> Term | None:
    return None if label is None else load_lexicon().lines_of_business.lookup(label)


def _evidence(rows: tuple[EvidenceRow, ...], diagnosis: DiagnosisAnswer, decision: Decision,
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
    for r in rows:  # by number
        number = r.number
        about[number] = about.get(number, False) or r.disease in wanted
        topic = r.topic
        if topic and any(same_service(topic, s) for s in others) and not (own and same_service(topic, own)):
            off_service.add(number)
        seen.setdefault(number, EvidenceItem(number, r.pmid, r.title, None if r.year is None else int(r.year[:4])))
    return tuple(seen[n] for n in sorted(seen) if about[n] and n not in off_service)
