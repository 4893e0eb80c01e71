"""Pure decision rules: which statements apply to a diagnosis, and what they determine together.

A statement applies when a disease it names is the diagnosis's disease or one of its broader
diseases (the taxonomy decides: chronic myeloid leukemia is a hematologic malignancy). Its
prior-treatment condition is settled by the question's ``prior_hct`` when given (a contradicting
statement drops out) and otherwise stays open. Then:

1. a not-covered statement (investigational, not medically necessary, ...) with no open condition decides;
2. else a medically-necessary statement decides, conditional on its open conditions and indications;
3. else a remaining not-covered statement decides;
4. else the policy does not address the diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from explorer.determination.model import COVERED_STATUSES, NOT_ADDRESSED, MatchedStatement


@dataclass(frozen=True)
class StatementCondition:
    text: str
    kind: str
    required_status: str | None


@dataclass(frozen=True)
class CandidateStatement:
    statement: MatchedStatement
    conditions: tuple[StatementCondition, ...]


def applies(candidate: CandidateStatement, diagnosis_diseases: Iterable[str]) -> bool:
    """Does the statement name one of the diagnosis's diseases (or broader ones)?"""
    wanted = set(diagnosis_diseases)
    return any(d in wanted for d in candidate.statement.diseases)


def settle(candidate: CandidateStatement, prior_hct: str | None) -> MatchedStatement | None:
    """The statement with its open conditions, or None when the question contradicts a condition."""
    open_conditions = []
    for condition in candidate.conditions:
        if condition.kind == "prior-treatment-status" and condition.required_status and prior_hct:
            if condition.required_status != prior_hct:
                return None
            continue
        open_conditions.append(condition.text)
    s = candidate.statement
    return MatchedStatement(s.iri, s.number, s.status, s.text, s.source, s.diseases, tuple(open_conditions),
                            s.indications)


def decide(statements: list[MatchedStatement]) -> tuple[str, bool, tuple[str, ...], list[MatchedStatement]]:
    """(determination, conditional, conditions, statements ordered with the deciding one first)."""
    negative = [s for s in statements if s.status not in COVERED_STATUSES]
    covered = [s for s in statements if s.status in COVERED_STATUSES]
    settled_negative = [s for s in negative if not s.open_conditions]
    if settled_negative:
        chosen = settled_negative[0]
    elif covered:
        chosen = covered[0]
    elif negative:
        chosen = negative[0]
    else:
        return NOT_ADDRESSED, False, (), []
    rest = [s for s in statements if s is not chosen]
    if chosen.status in COVERED_STATUSES:
        conditions = chosen.open_conditions + tuple(f"indication: {i}" for i in chosen.indications)
        return chosen.status, bool(conditions), conditions, [chosen, *rest]
    return chosen.status, False, chosen.open_conditions, [chosen, *rest]
