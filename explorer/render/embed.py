"""A policy as a schema.org JSON-LD block to paste into a web page.

The page is a ``MedicalWebPage`` (with its ``url``: the page's address when given, else the
policy's IRI) about the policy's diseases (``MedicalCondition``); each coverage statement is a
``MedicalGuideline`` named by its service and its status in words ("Donor lymphocyte infusion:
investigational"; schema.org has no type for "investigational": it is not a contraindication, and
``recommendationStrength`` belongs to recommendations only), whose subject is the service as a
``MedicalTherapy`` with the policy's billing codes (``MedicalCode``); references are
``ScholarlyArticle`` citations linked to PubMed. The tests check the block against a bundled copy
of the schema.org vocabulary (``tests/exports/test_schemaorg_vocabulary.py``). ``@context`` is the
usual ``"https://schema.org"`` string that search engines
expect: nothing here fetches it (tests parse the block with an inline ``@vocab`` context).

The ``<script>`` form escapes ``<``, ``>`` and ``&`` inside the JSON, so document text can never
close the script element.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rdflib import Graph
from rdflib.namespace import SKOS

from explorer.ingest.facts import PolicyFacts
from explorer.model import policy_iri_of, statement_iris
from explorer.model.iris import disease_iri

SCHEMA_CONTEXT = "https://schema.org"
#: The page's review date: the first of these kinds the policy prints, else its latest history date.
REVIEW_KINDS = ("reviewed", "revised", "effective", "published")


def status_words(status: str) -> str:
    """``medically-necessary`` -> ``medically necessary``."""
    return status.replace("-", " ")


def schemaorg_document(facts: PolicyFacts, vocabulary: Graph | None = None, url: str | None = None) -> dict[str, Any]:
    """The schema.org JSON-LD object for one policy (``vocabulary`` supplies disease labels; ``url`` is
    the address of the page the block goes in, the policy's IRI by default)."""
    policy = str(policy_iri_of(facts))
    labels = _disease_labels(vocabulary)
    therapies = _therapies(facts, policy)
    page: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "MedicalWebPage",
        "@id": policy,
        "url": url or policy,
        "name": facts.title,
        "identifier": facts.number,
        "publisher": {"@type": "Organization", "name": facts.payer},
    }
    reviewed = _review_date(facts)
    if reviewed:
        page["lastReviewed"] = reviewed
    diseases = sorted({m.disease for m in facts.diseases} | {m.disease for s in facts.statements for m in s.diseases})
    if diseases:
        page["about"] = [
            {"@type": "MedicalCondition", "@id": str(disease_iri(d)), "name": labels.get(d, d.replace("-", " "))}
            for d in diseases
        ]
    iris = statement_iris(facts)
    effective = next((d.date for d in facts.dates if d.kind == "effective"), None)
    page["mainEntity"] = []
    for s in facts.statements:
        guideline: dict[str, Any] = {
            "@type": "MedicalGuideline",
            "@id": iris[s.number],
            "name": f"{s.service}: {status_words(s.status)}",
            "description": s.text,
            "guidelineSubject": {"@id": therapies[s.service]["@id"]},
        }
        if effective:
            guideline["guidelineDate"] = effective
        page["mainEntity"].append(guideline)
    if therapies:
        page["mentions"] = list(therapies.values())
    citations = [_article(r) for r in facts.references]
    if citations:
        page["citation"] = citations
    return page


def _review_date(facts: PolicyFacts) -> str | None:
    for kind in REVIEW_KINDS:
        dates = sorted(d.date for d in facts.dates if d.kind == kind)
        if dates:
            return dates[-1]
    history = sorted(e.date for e in facts.history if e.date)
    return history[-1] if history else None


def schemaorg_json(facts: PolicyFacts, vocabulary: Graph | None = None, url: str | None = None) -> str:
    """The block's JSON text (pretty-printed)."""
    return json.dumps(schemaorg_document(facts, vocabulary, url), indent=2, ensure_ascii=False) + "\n"


def schemaorg_script(facts: PolicyFacts, vocabulary: Graph | None = None, url: str | None = None) -> str:
    """``<script type="application/ld+json">...</script>``, safe to paste into any HTML page."""
    text = json.dumps(schemaorg_document(facts, vocabulary, url), indent=2, ensure_ascii=False)
    safe = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">\n{safe}\n</script>\n'


def _therapies(facts: PolicyFacts, policy: str) -> dict[str, dict[str, Any]]:
    """One MedicalTherapy per distinct service named by the statements, with the policy's codes."""
    codes = [
        {"@type": "MedicalCode", "codeValue": c.code, "codingSystem": c.system, "name": c.description}
        for c in facts.codes
    ]
    therapies: dict[str, dict[str, Any]] = {}
    for index, service in enumerate(dict.fromkeys(s.service for s in facts.statements), start=1):
        therapy: dict[str, Any] = {"@type": "MedicalTherapy", "@id": f"{policy}/service/{index}", "name": service}
        if codes:
            therapy["code"] = codes
        therapies[service] = therapy
    return therapies


def _article(reference: Any) -> dict[str, Any]:
    article: dict[str, Any] = {"@type": "ScholarlyArticle", "name": reference.title or reference.text}
    if reference.authors:
        article["author"] = [{"@type": "Person", "name": a} for a in reference.authors]
    if reference.journal:
        article["isPartOf"] = {"@type": "Periodical", "name": reference.journal}
    if reference.year:
        article["datePublished"] = str(reference.year)
    if reference.pmid:
        article["identifier"] = {"@type": "PropertyValue", "propertyID": "PMID", "value": reference.pmid}
        article["sameAs"] = f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
    elif reference.url:
        article["url"] = reference.url
    return article


def _disease_labels(vocabulary: Graph | None) -> Mapping[str, str]:
    if vocabulary is None:
        return {}
    prefix = str(disease_iri(""))
    labels: dict[str, str] = {}
    for subject, label in vocabulary.subject_objects(SKOS.prefLabel):
        if str(subject).startswith(prefix) and getattr(label, "language", None) in (None, "en"):
            labels[str(subject)[len(prefix):]] = str(label)
    return labels
