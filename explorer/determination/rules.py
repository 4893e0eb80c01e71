"""Pure decision rules: which statements apply to an order and a diagnosis, and what they determine together.

A statement is about one service. An order for a code is for the policy's service the code names
(its description's words; else the service most statements are about), or for the service the
question names: a statement about another service (a *modified* one, "genetic modification of donor
lymphocytes") does not apply to an order for the plain service, and the reverse.

A statement applies to a diagnosis when it names no disease, or a disease it names is the diagnosis's
disease or one of its broader diseases (the taxonomy decides: chronic myeloid leukemia is a hematologic malignancy). Its
prior-treatment conditions are settled by the question's ``prior_hct`` when given (a contradicting
statement drops out; "following a prior allogeneic HCT" holds) and otherwise stay open. Then:

1. a not-covered statement (investigational, not medically necessary, ...) with no open condition decides;
2. else a medically-necessary statement decides, conditional on its open conditions (all of them) and
   its indications (combined as the sentence says: "..., or ..." is any of them);
3. else a remaining not-covered statement decides;
4. else the policy does not address the diagnosis.

Without a diagnosis no statement is the verdict: when the applicable statements disagree the answer
is "diagnosis needed" with what each says; when they all give one status, that status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from explorer.determination.model import (
    ALL_OF,
    ANY_OF,
    DIAGNOSIS_NEEDED,
    NOT_ADDRESSED,
    MatchedStatement,
    covers,
)

PRIOR_STATUS = "prior-treatment-status"
PRIOR_TREATMENT = "prior-treatment"
_HCT = re.compile(r"\b(?:HCT|HSCT|transplant\w*|hematopoietic)\b", re.IGNORECASE)
_STOP = frozenset({"a", "an", "and", "or", "of", "the", "for", "with", "in", "on", "to", "by", "as"})
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class StatementCondition:
    text: str
    kind: str
    required_status: str | None
    prior_treatment: str | None = None


@dataclass(frozen=True)
class CandidateStatement:
    statement: MatchedStatement
    conditions: tuple[StatementCondition, ...]


@dataclass(frozen=True)
class Decision:
    """What the applicable statements determine together; ``statements`` has the deciding one first."""

    determination: str
    conditional: bool
    conditions: tuple[str, ...] = ()
    indications: tuple[str, ...] = ()
    criteria_logic: str | None = None
    statements: tuple[MatchedStatement, ...] = ()


# ------------------------------------------------------------------------------------------- services

def stems(text: str) -> frozenset[str]:
    """Content words cut to five letters ("modification", "modified" -> "modif"); slugs or prose."""
    return frozenset(w[:5] for w in _WORD.findall(text.lower().replace("-", " ")) if w not in _STOP)


def same_service(a: str, b: str) -> bool:
    """Do two names (slugs, labels or topics) name the same service? ("genetically-modified-donor-
    lymphocytes" is "Genetic modification of donor lymphocytes"; "donor-lymphocyte-infusion" is not)."""
    sa, sb = stems(a), stems(b)
    return bool(sa) and len(sa & sb) / len(sa | sb) >= 0.75


def ordered_service(services: Sequence[str], code_description: str | None) -> str | None:
    """The service an order for a code is for: the one whose words the code's description has most of
    (as a share of the service's words), then the one most statements are about, then the first.

    ``services`` is the service of each statement, in policy order (repeats count)."""
    if not services:
        return None
    described = stems(code_description or "")
    counts = {s: services.count(s) for s in services}

    def score(service: str) -> tuple[float, int, int]:
        words = stems(service)
        share = len(words & described) / len(words) if words else 0.0
        return share, counts[service], -services.index(service)

    return max(counts, key=score)


_NAMED = re.compile(r"\{([^{}]{2,60})\}|\b([A-Za-z]*[a-z][A-Z][A-Za-z0-9]*|[A-Z][A-Za-z0-9]+)\s*[®™]")
_CAMEL = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*\b")
_GENERIC_NAMES = frozenset({"test", "assay", "panel", "dna", "rna", "ngs", "pcr", "mrd", "ctdna", "cfdna", "cdx",
                            "dx", "liquid", "tissue", "the", "and"})


@lru_cache(maxsize=8192)
def named_tests(code: str, description: str | None) -> frozenset[str]:
    """The names a code's description gives its test ("{clonoSeq}", "Guardant Reveal®", "NavDx"), with
    the code itself: what a statement about that test would name."""
    names = {code.lower()}
    for m in _NAMED.finditer(description or ""):
        text = m.group(1) or m.group(2)
        words = [w for w in re.findall(r"[A-Za-z0-9][\w-]*", text) if w.lower() not in _GENERIC_NAMES]
        if words:
            names.add(words[0].lower())
    names.update(w.lower() for w in _CAMEL.findall(description or "") if w.lower() not in _GENERIC_NAMES)
    return frozenset(n for n in names if len(n) >= 4)


def names_any(text: str, names: Iterable[str]) -> bool:
    pattern = _names_pattern(frozenset(names))
    return pattern is not None and pattern.search(text.lower()) is not None


@lru_cache(maxsize=4096)
def _names_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern for a set of names (a pattern per name overflowed re's cache on policies of
    hundreds of codes: 0.4 s a question, compiling)."""
    if not names:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?![\w-])")


def for_the_code(candidates: Sequence[CandidateStatement], code_names: frozenset[str],
                 other_names: Iterable[frozenset[str]]) -> list[CandidateStatement]:
    """The statements about the ordered code's test: those naming it; when none does, those naming
    no test of the policy (general statements). A statement naming only other tests of the policy
    ("NavDx test is medically necessary ...") says nothing about this code, and a general catch-all
    ("tests not specified in this policy are unproven") gives way to a statement naming the test."""
    others = [n for n in other_names if n != code_names]
    specific = [c for c in candidates if names_any(c.statement.text, code_names)]
    if specific:
        return specific
    return [c for c in candidates if not any(names_any(c.statement.text, n) for n in others)]


def for_the_diagnosis(criteria: dict, wanted: set[str], diseases_named: Callable[[str], set[str]]) -> dict:
    """The criteria that concern the diagnosis: a top-level criterion headed by other diseases
    ("Acute myeloid leukemia: ...") is left out for a multiple myeloma diagnosis; one naming no
    disease, or the diagnosis's disease or a broader one, stays."""
    items = [i for i in criteria["items"] if not (named := diseases_named(i["text"])) or named & wanted]
    return {**criteria, "items": items}


def about_service(candidate: CandidateStatement, service: str | None) -> bool:
    """A statement applies to an order for ``service`` only if it is about that service (or names none)."""
    return service is None or candidate.statement.service in (None, service)


# ------------------------------------------------------------------------------------------- indications

def order_indications(text: str, indications: Iterable[str]) -> tuple[str, ...]:
    """Indications in the order the sentence gives them (ones not found verbatim last, by text)."""
    lowered = text.lower()
    unique = sorted(set(indications))
    return tuple(sorted(unique, key=lambda i: (lowered.find(i.lower()) if i.lower() in lowered else len(text))))


def indication_logic(text: str, ordered: Sequence[str]) -> str | None:
    """ANY_OF when the sentence joins its indications with "or", ALL_OF with "and"; None for one
    indication or when the words between the last two do not say."""
    if len(ordered) < 2:
        return None
    lowered = text.lower()
    before, last = lowered.find(ordered[-2].lower()), lowered.find(ordered[-1].lower())
    if before < 0 or last < 0 or last < before:
        return None
    between = lowered[before + len(ordered[-2]):last]
    words = set(_WORD.findall(between))
    if "or" in words and "and" not in words:
        return ANY_OF
    if "and" in words and "or" not in words:
        return ALL_OF
    return None


# ------------------------------------------------------------------------------------------- diagnosis

def applies(candidate: CandidateStatement, diagnosis_diseases: Iterable[str]) -> bool:
    """Does the statement name one of the diagnosis's diseases (or broader ones), or no disease at all?"""
    wanted = set(diagnosis_diseases)
    return not candidate.statement.diseases or any(d in wanted for d in candidate.statement.diseases)


def settle(candidate: CandidateStatement, prior_hct: str | None) -> MatchedStatement | None:
    """The statement with its open conditions, or None when the question contradicts a condition."""
    open_conditions = []
    for condition in candidate.conditions:
        if prior_hct and condition.kind == PRIOR_STATUS and condition.required_status:
            if condition.required_status != prior_hct:
                return None
            continue
        if prior_hct and condition.kind == PRIOR_TREATMENT and _HCT.search(condition.prior_treatment or ""):
            continue      # the question says there was a prior HCT (of a given status)
        open_conditions.append(condition.text)
    return replace(candidate.statement, open_conditions=tuple(open_conditions))


def decide(statements: Sequence[MatchedStatement]) -> Decision:
    """What the statements applying to a diagnosis determine, with the deciding statement first."""
    negative = [s for s in statements if not covers(s.status)]
    covered = [s for s in statements if covers(s.status)]
    settled_negative = [s for s in negative if not s.open_conditions]
    if settled_negative:
        chosen = settled_negative[0]
    elif covered:
        chosen = covered[0]
    elif negative:
        chosen = negative[0]
    else:
        return Decision(NOT_ADDRESSED, False)
    ordered = (chosen, *(s for s in statements if s is not chosen))
    if covers(chosen.status):
        conditional = bool(chosen.open_conditions or chosen.indications)
        return Decision(chosen.status, conditional, chosen.open_conditions, chosen.indications,
                        chosen.indication_logic, ordered)
    return Decision(chosen.status, False, chosen.open_conditions, (), None, ordered)


def survey(statements: Sequence[MatchedStatement]) -> Decision:
    """Without a diagnosis: one status when every applicable statement gives it, else DIAGNOSIS_NEEDED.

    No statement is the verdict: ``statements`` stay in the policy's order."""
    if not statements:
        return Decision(NOT_ADDRESSED, False)
    statuses = {s.status for s in statements}
    if len(statuses) > 1:
        return Decision(DIAGNOSIS_NEEDED, False, statements=tuple(statements))
    status = statuses.pop()
    conditional = covers(status) and any(
        s.open_conditions or s.indications or s.diseases for s in statements)
    return Decision(status, conditional, statements=tuple(statements))
