"""The answer to a coverage question, and its documented JSON contract (with HL7 Da Vinci CRD codes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NOT_ADDRESSED = "not-addressed"
DIAGNOSIS_NEEDED = "diagnosis-needed"      # no diagnosis given, and the policy's answer depends on it
ANY_OF = "any-of"
ALL_OF = "all-of"


def logic_words(logic: str | None) -> str | None:
    """How a criteria group's members combine, in words: ``all of``, ``any one of``, ``at least 2 of``;
    None when the policy does not say."""
    if logic == ALL_OF:
        return "all of"
    if logic == ANY_OF:
        return "any one of"
    if logic and logic.startswith("at-least-"):
        return f"at least {logic.removeprefix('at-least-')} of"
    return None


def covers(status: str) -> bool:
    """Whether a status means covered (its coverage effect in data/vocab/statuses.ttl, not a list here)."""
    from explorer.model.vocabulary import coverage_effect

    return coverage_effect(status) == "covered"


@dataclass(frozen=True)
class Source:
    start: int
    end: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "quote": self.quote}


@dataclass(frozen=True)
class MatchedStatement:
    iri: str
    number: int
    status: str
    text: str
    source: Source
    diseases: tuple[str, ...] = ()
    open_conditions: tuple[str, ...] = ()      # conditions the question does not settle (all must hold)
    indications: tuple[str, ...] = ()          # in the policy's order
    indication_logic: str | None = None        # ANY_OF / ALL_OF as the sentence states; None for one
    service: str | None = None                 # the service the statement is about (a slug)

    def scope_json(self) -> dict[str, Any]:
        """What the statement says for which indications (the no-diagnosis answer lists these)."""
        return {"iri": self.iri, "number": self.number, "status": self.status, "service": self.service,
                "diseases": list(self.diseases), "conditions": list(self.open_conditions),
                "indications": list(self.indications), "criteria_logic": self.indication_logic,
                "text": self.text, "source": self.source.to_json()}


@dataclass(frozen=True)
class PriorAuthorizationAnswer:
    required: bool | None
    note: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class EvidenceItem:
    reference: int
    pmid: str | None
    title: str | None
    year: int | None

    @property
    def url(self) -> str | None:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None


@dataclass(frozen=True)
class DiagnosisAnswer:
    code: str
    description: str
    diseases: tuple[str, ...]
    ancestors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Determination:
    """What the policies say about one code for one diagnosis, product and setting."""

    determination: str                      # a status slug, "not-addressed" or "diagnosis-needed"
    conditional: bool
    conditions: tuple[str, ...]             # every one must hold
    code: str
    product: str | None
    setting: str | None
    prior_authorization: PriorAuthorizationAnswer | None
    policy_number: str | None = None
    policy_title: str | None = None
    policy_iri: str | None = None
    statements: tuple[MatchedStatement, ...] = ()
    diagnosis: DiagnosisAnswer | None = None
    evidence: tuple[EvidenceItem, ...] = ()
    notes: tuple[str, ...] = field(default=())
    indications: tuple[str, ...] = ()       # of the deciding statement, in the policy's order
    criteria_logic: str | None = None       # how ``indications`` combine: ANY_OF / ALL_OF
    service: str | None = None              # the service the order is for (a slug of the policy's services)
    per_indication: tuple[MatchedStatement, ...] = ()   # without a diagnosis: what each statement says
    line_of_business: str | None = None     # the question's line of business (label), if given
    criteria: dict[str, Any] | None = None  # the deciding statement's criteria: {"logic", "items": [...]}

    @property
    def crd(self) -> dict[str, str]:
        """HL7 Da Vinci CRD coverage-information values (``covered``, ``pa-needed``)."""
        from explorer.model.vocabulary import coverage_effect

        effect = coverage_effect(self.determination)  # the status's broadMatch in data/vocab/statuses.ttl
        if effect == "covered":
            covered = "conditional" if self.conditional else "covered"
        elif effect is None:
            covered = "conditional"      # no policy statement decides it (not addressed): the payer reviews
        else:
            covered = effect
        required = None if self.prior_authorization is None else self.prior_authorization.required
        pa = {True: "auth-needed", False: "no-auth", None: "conditional"}[required]
        return {"covered": covered, "pa-needed": pa}

    def to_json(self) -> dict[str, Any]:
        pa = self.prior_authorization
        return {
            "determination": self.determination,
            "conditional": self.conditional,
            "conditions": list(self.conditions),
            "indications": list(self.indications),
            "criteria_logic": self.criteria_logic,
            "prior_authorization": {
                "required": None if pa is None else pa.required,
                "note": None if pa is None else pa.note,
                "source": None if pa is None or pa.source is None else pa.source.to_json(),
            },
            "policy": None if self.policy_number is None else {
                "iri": self.policy_iri, "number": self.policy_number, "title": self.policy_title},
            "question": {"code": self.code, "product": self.product, "setting": self.setting,
                         "line_of_business": self.line_of_business, "service": self.service},
            "statements": [
                {"iri": s.iri, "status": s.status, "text": s.text, "source": s.source.to_json()}
                for s in self.statements
            ],
            "diagnosis": None if self.diagnosis is None else {
                "code": self.diagnosis.code,
                "description": self.diagnosis.description,
                "diseases": list(self.diagnosis.diseases),
            },
            "evidence": [
                {"pmid": e.pmid, "title": e.title, "year": e.year, "url": e.url, "reference": e.reference}
                for e in self.evidence
            ],
            "per_indication": [s.scope_json() for s in self.per_indication],
            "criteria": self.criteria,
            "crd": self.crd,
            "notes": list(self.notes),
        }
