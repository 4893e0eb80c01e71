"""Work, version, document (issue 16 item 5): a policy (payer + identifier) is a work; each dated
version of it is an expression; each version is embodied in a document named by its content hash::

    {p} a pol:MedicalPolicy ; dcterms:hasVersion {p}/version/2024-10-01 .       # the work
    {p}/version/2024-10-01 a pol:PolicyVersion ; dcterms:isVersionOf {p} ;
        pol:versionDate "2024-10-01"^^xsd:date ; frbr:embodiment {d} .         # {d}: .../document/sha256/{hex}
    {p}/version/2024-10-01 dcterms:hasPart {p}/statement/{key}, ... .          # the facts read from it
    {newer version} prov:wasRevisionOf {older version} .                       # revision_links()

A version is named by its date (effective, else revised, reviewed, published, else the newest
history row's), so two renderings
of one dated version are one version embodied in two documents; an undated document names its
version by its hash (``{p}/version/sha256-{first 12 hex}``). The graph of one document holds one
version; where several versions of a work meet (a store, a merged export), ``revision_links``
says which revises which.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from explorer.ingest.facts import PolicyFacts
from explorer.model.iris import FRBR, document_iri
from explorer.model.namespace import POL
from explorer.model.triple_store import triples_of

VERSION_DATE_KINDS = ("effective", "revised", "reviewed", "published")
"""The header dates that name a version, in order of preference."""


class Writer(Protocol):
    facts: PolicyFacts
    policy: URIRef
    graph: Graph


def version_date(facts: PolicyFacts) -> str | None:
    """The date naming the document's version: its effective date, else revised, reviewed,
    published (ISO, as the header prints it), else the newest date of its history; None for an
    undated document."""
    by_kind = {d.kind: d.date for d in facts.dates}
    header = next((by_kind[k] for k in VERSION_DATE_KINDS if k in by_kind), None)
    return header or max((h.date for h in facts.history), default=None)


def date_order_key(date: str) -> tuple[str, int]:
    """Orders ISO dates of different precision: a year or month counts as its first day
    (``2025-10`` -> ``2025-10-01``, after ``2025-09-30``), and at the same day the less precise
    sorts first."""
    return (date + "-01-01"[len(date) - 4:] if len(date) in (4, 7) else date, len(date))


def version_iri(facts: PolicyFacts, policy: URIRef) -> URIRef:
    """``{policy}/version/{date}``, or ``{policy}/version/sha256-{12 hex}`` when undated."""
    date = version_date(facts)
    return URIRef(f"{policy}/version/{date if date else 'sha256-' + facts.sha256[:12]}")


def add_version(w: Writer) -> URIRef:
    """The version this document is, linked to its work (the policy) and to its document."""
    g, p = w.graph, w.policy
    node = version_iri(w.facts, p)
    g.add((p, DCTERMS.hasVersion, node))
    g.add((node, RDF.type, POL.PolicyVersion))
    g.add((node, DCTERMS.isVersionOf, p))
    g.add((node, FRBR.embodiment, document_iri(w.facts.sha256)))
    date = version_date(w.facts)
    if date:
        datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(date))
        g.add((node, POL.versionDate, Literal(date, datatype=datatype)))
    return node


#: The policy's links to the facts of the document, each also a part of the version they are of.
FACT_LINKS = (POL.hasStatement, POL.hasPriorAuthorization, POL.hasCodeListing, POL.hasHistoryEvent,
              POL.hasReference, POL.hasCitation, POL.reportsFigure, POL.hasEvidenceAssessment,
              POL.hasPolicyDate, POL.hasSection)


def add_version_parts(w: Writer, version: URIRef) -> None:
    """``{version} dcterms:hasPart {fact}`` for each fact the policy links to: the facts hang off
    the version they were read from. The policy keeps its own links (``pol:hasStatement`` ...),
    the entry point of every query, and a fact's IRI comes from the policy and its content, so a
    statement unchanged by a revision is one node that is a part of both versions where they meet
    (a store's version graphs, a merged export)."""
    g, p = w.graph, w.policy
    # one pass over the triples: a lookup by (policy, link) built an index of every triple of the
    # graph first (5% of a real document's build), and nothing else asks for it
    parts: dict[Node, list[Node]] = {link: [] for link in FACT_LINKS}
    for subject, link, fact in triples_of(g):
        if link in parts and subject == p:
            parts[link].append(fact)
    for link in FACT_LINKS:
        for fact in parts[link]:
            g.add((version, DCTERMS.hasPart, fact))


def revision_links(graph: Graph) -> Graph:
    """``prov:wasRevisionOf`` from each dated version to the one before it of the same work, for
    the versions ``graph`` holds (e.g. the union of a store's policy graphs). Undated versions are
    left unlinked: nothing says which came first."""
    by_work: dict[URIRef, list[tuple[str, URIRef]]] = defaultdict(list)
    for version, work in graph.subject_objects(DCTERMS.isVersionOf):
        date = graph.value(version, POL.versionDate)
        if isinstance(version, URIRef) and isinstance(work, URIRef) and date is not None:
            by_work[work].append((str(date), version))
    links = Graph()
    for versions in by_work.values():
        ordered = sorted(set(versions), key=lambda pair: (date_order_key(pair[0]), str(pair[1])))
        for (_, older), (_, newer) in zip(ordered, ordered[1:], strict=False):
            links.add((newer, PROV.wasRevisionOf, older))
    return links
