"""PolicyFacts -> one RDF graph under the ontology (the inverse is ``from_rdf.graph_to_facts``).

Layout (``{p}`` is the policy IRI, ``{d}`` its document ``.../id/document/sha256/{hex}``; IRI rules
in docs/model.md)::

    {p} a pol:MedicalPolicy ; pol:sourceDocument {d} ; pol:hasStatement {p}/statement/{text key} ...
    {p}/statement/{key} pol:hasStatus status:x ; pol:aboutService {p}/service/{slug} ;
        pol:hasIndication .../indication/{i} ; pol:hasCondition .../condition/{i} ;
        pol:hasCriteria .../criteria (pol:hasCriterion .../criteria/{i}) ;
        pol:mentionsDisease .../disease/{slug}      # a dis:{slug} (a disease class)
    {p}/prior-authorization/{product}/{setting}, {p}/reference/{pmid-N | doi-X | text key},
    {p}/history/{date}, {p}/citation/{n}, {p}/figure/{i}, {p}/evidence/{i}, {p}/section/{name};
    codes: .../id/code/{system}/{code}
    {fact} pol:sourceSpan {d}#char={start},{end} ; that span a pol:TextSpan ; oa:hasSource {d} ;
        oa:hasSelector {span};position (oa:start, oa:end), {span};quote (oa:exact, oa:prefix, oa:suffix)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import PurePath

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from explorer.ingest.facts import Condition, Criterion, DiseaseMention, PolicyFacts, Span
from explorer.model.code_listing_rdf import add_code_listings
from explorer.model.iris import (
    OA,
    PREFIXES,
    disease_iri,
    document_iri,
    setting_iri,
    slug,
    span_iri,
    status_iri,
    text_key,
)
from explorer.model.iris import policy_iri as _policy_iri
from explorer.model.keys import keyed
from explorer.model.mentions_rdf import add_mentions
from explorer.model.named_tests_rdf import add_named_tests
from explorer.model.namespace import POL
from explorer.model.reference_rdf import add_citations, add_references
from explorer.model.reference_rdf import reference_iris as _reference_iris
from explorer.model.triple_store import plain_graph
from explorer.model.version_rdf import add_version, add_version_parts
from explorer.model.vocabulary import payer_iri, payer_slug, product_iri


def policy_iri_of(facts: PolicyFacts) -> URIRef:
    """The policy's IRI: payer slug from the vocabulary and the policy number."""
    return _policy_iri(payer_slug(facts.payer), facts.number)


def statement_iris(facts: PolicyFacts) -> dict[int, str]:
    """Statement number -> IRI, ``{policy}/statement/{text key}``: a revision that edits one
    statement, or inserts one before it, leaves the others' IRIs as they were."""
    policy = policy_iri_of(facts)
    iris = keyed(f"{policy}/statement", (text_key(s.text) for s in facts.statements))
    return {s.number: str(iri) for s, iri in zip(facts.statements, iris, strict=True)}


def reference_iris(facts: PolicyFacts) -> dict[int, URIRef]:
    """Reference number -> IRI (``explorer.model.reference_rdf``): PMID, DOI or text key."""
    return _reference_iris(facts, policy_iri_of(facts))


def history_iris(facts: PolicyFacts) -> list[URIRef]:
    """``.../history/{date}`` (``{date}--{end}`` for a range), in the history's order."""
    policy = policy_iri_of(facts)
    keys = [h.date + (f"--{h.end}" if h.end else "") for h in facts.history]
    return keyed(f"{policy}/history", keys)


CONTEXT = 32  # characters of oa:prefix / oa:suffix around a quote


def decimal_literal(value: float) -> Literal:
    """An xsd:decimal in the lexical form stores keep as is ("40", "12.5"), so exports match the model."""
    text = repr(float(value))
    return Literal(text.removesuffix(".0"), datatype=XSD.decimal)


def date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` -> xsd:date, ``YYYY-MM`` -> xsd:gYearMonth, ``YYYY`` -> xsd:gYear."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value))
    return Literal(value, datatype=datatype) if datatype else Literal(value)


class _Builder:
    def __init__(self, facts: PolicyFacts) -> None:
        self.facts = facts
        self.policy = policy_iri_of(facts)
        self.source = document_iri(facts.sha256)
        self.graph = plain_graph()  # context-free, a dict of triples (explorer/model/triple_store.py)
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)
        self._spans: dict[tuple[int, int, str], URIRef] = {}  # span nodes written so far

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.graph.add((s, p, Literal(value)))

    def span(self, fact: URIRef, span: Span | None) -> None:
        """Link ``fact`` to the span it came from."""
        if span is not None:
            self.graph.add((fact, POL.sourceSpan, self.span_node(span)))

    def span_node(self, span: Span) -> URIRef:
        """``{document}#char={start},{end}`` with a position and a quote selector; the quote has a
        few dozen characters of context (oa:prefix, oa:suffix) to re-find it in a later version.
        A span several facts share is written once."""
        key = (span.start, span.end, span.quote)
        known = self._spans.get(key)
        if known is not None:
            return known
        node = self._spans[key] = span_iri(self.source, span.start, span.end)
        position, quote = URIRef(f"{node};position"), URIRef(f"{node};quote")
        g = self.graph
        g.add((node, RDF.type, POL.TextSpan))
        g.add((node, OA.hasSource, self.source))
        g.add((node, OA.hasSelector, position))
        g.add((node, OA.hasSelector, quote))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(span.start)))
        g.add((position, OA.end, Literal(span.end)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(span.quote)))
        text = self.facts.text
        if text[span.start:span.end] == span.quote:  # the context only where the offsets hold
            self.text(quote, OA.prefix, text[max(0, span.start - CONTEXT):span.start])
            self.text(quote, OA.suffix, text[span.end:span.end + CONTEXT])
        return node

    def find(self, text: str, start: int = 0, end: int | None = None) -> Span | None:
        """The span of ``text`` in the document between ``start`` and ``end``, ignoring case and
        how whitespace breaks lines: facts the reader gives as text only (indications, headings, the
        title) get the characters they came from; None when the words are not there in order."""
        words = text.split()
        if not words:
            return None
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        found = pattern.search(self.facts.text, start, len(self.facts.text) if end is None else end)
        return None if found is None else Span(found.start(), found.end(), found.group())

    def diseases(self, owner: URIRef, mentions: Iterable[DiseaseMention]) -> None:
        by_slug: dict[str, list[Span]] = {}
        for mention in mentions:
            by_slug.setdefault(mention.disease, []).append(mention.span)
        for disease, spans in by_slug.items():
            node = URIRef(f"{owner}/disease/{disease}")
            self.graph.add((owner, POL.mentionsDisease, node))
            self.graph.add((node, RDF.type, disease_iri(disease)))
            self.graph.add((node, POL.diseaseConcept, disease_iri(disease)))
            for span in spans:
                self.span(node, span)

    @cached_property
    def statement_iris(self) -> dict[int, str]:
        """``statement_iris(facts)``, computed once per graph."""
        return statement_iris(self.facts)

    def build(self) -> Graph:
        f, p, g = self.facts, self.policy, self.graph
        g.add((p, RDF.type, POL.MedicalPolicy))
        g.add((p, RDFS.label, Literal(f"{f.number} {f.title}")))
        g.add((p, DCTERMS.title, Literal(f.title)))
        g.add((p, POL.policyNumber, Literal(f.number)))
        g.add((p, POL.publishedBy, payer_iri(f.payer)))
        g.add((p, POL.sourceDocument, self.source))
        version = add_version(self)  # the dated version this document is, of the policy (the work)
        self.span(p, self.find(f.title))  # the title as printed, where it is printed verbatim
        self.text(p, POL.policyIdentifier, f.identifier)
        self.text(p, POL.layoutFamily, f.family)
        self.text(p, POL.bcbsaReference, f.bcbsa_reference)
        self.text(p, POL.ncdLcd, f.ncd_lcd)
        for value in f.related_policies:
            self.text(p, POL.relatedPolicy, value)
        for value in f.applies_to:
            self.text(p, POL.appliesTo, value)
        g.add((self.source, RDF.type, POL.SourceDocument))
        g.add((self.source, POL.sha256, Literal(f.sha256)))
        # the file's name only: the same document gives the same graph on any machine
        g.add((self.source, POL.fileName, Literal(PurePath(f.source_name or f.path).name or f.path)))
        g.add((self.source, DCTERMS.format, Literal(f.media_type)))
        if f.original_sha256 is not None:
            g.add((self.source, POL.originalSha256, Literal(f.original_sha256)))
        if f.source_url is not None:  # where it was fetched from and when, if its folder's manifest says
            g.add((self.source, DCTERMS.source, URIRef(f.source_url)))
        if f.retrieved is not None:
            kind = XSD.dateTime if "T" in f.retrieved else XSD.date
            g.add((self.source, POL.retrievedAt, Literal(f.retrieved, datatype=kind)))
        g.add((self.source, POL.documentText, Literal(f.text)))
        for section in f.sections:
            node = URIRef(f"{p}/section/{section.name}")
            g.add((p, POL.hasSection, node))
            g.add((node, RDF.type, POL.Section))
            g.add((node, POL.sectionName, Literal(section.name)))
            self.text(node, POL.heading, section.heading)  # the header section has none
            g.add((node, POL.startOffset, Literal(section.start)))
            g.add((node, POL.endOffset, Literal(section.end)))
            self.span(node, self.find(section.heading, section.start, section.start + len(section.heading)))
        self.statements()
        self.prior_authorization()
        self.codes()
        add_mentions(g, p, f, self.statement_iris, self.span)  # codes named in prose, prior-auth sentences
        add_named_tests(g, p, f, self.statement_iris, self.span)  # proprietary tests and their labs
        self.history()
        self.dates()
        self.references()
        self.citations()
        self.figures()
        self.evidence()
        self.diseases(p, f.diseases)
        add_version_parts(self, version)  # and the facts hang off that version
        return g

    def statements(self) -> None:
        g, p = self.graph, self.policy
        iris = self.statement_iris
        for s in self.facts.statements:
            node = URIRef(iris[s.number])
            service = URIRef(f"{p}/service/{slug(s.service)}")
            g.add((p, POL.hasStatement, node))
            g.add((node, RDF.type, POL.CoverageStatement))
            g.add((node, POL.statementNumber, Literal(s.number)))
            g.add((node, POL.hasStatus, status_iri(s.status)))
            g.add((node, POL.statusLabel, Literal(s.status_label)))
            g.add((node, POL.aboutService, service))
            g.add((node, POL.text, Literal(s.text)))
            g.add((p, POL.aboutService, service))
            g.add((service, RDF.type, POL.Service))
            g.add((service, RDFS.label, Literal(s.service)))
            self.span(node, s.span)
            for i, indication in enumerate(s.indications, start=1):
                ind = URIRef(f"{node}/indication/{i}")
                g.add((node, POL.hasIndication, ind))
                g.add((ind, RDF.type, POL.Indication))
                g.add((ind, POL.text, Literal(indication)))
                self.span(ind, self.find(indication, s.span.start, s.span.end))
            for i, condition in enumerate(s.conditions, start=1):
                self.condition(URIRef(f"{node}/condition/{i}"), node, condition)
            self.criteria(node, s.criteria, s.criteria_logic)
            self.diseases(node, s.diseases)

    def criteria(self, owner: URIRef, criteria: tuple[Criterion, ...], logic: str | None) -> None:
        """``owner`` (a statement or a criterion) pol:hasCriteria ``{owner}/criteria``, a group with its
        combination and its members in order (pol:position), each with text, span and nested group."""
        if not criteria and logic is None:
            return
        g = self.graph
        group = URIRef(f"{owner}/criteria")
        g.add((owner, POL.hasCriteria, group))
        g.add((group, RDF.type, POL.CriteriaGroup))
        if logic is not None and logic.startswith("at-least-"):  # FHIR's at-least, with its threshold
            g.add((group, POL.combination, Literal("at-least")))
            g.add((group, POL.minimumCount, Literal(int(logic.removeprefix("at-least-")))))
        elif logic is not None:
            g.add((group, POL.combination, Literal(logic)))
        for i, criterion in enumerate(criteria, start=1):
            node = URIRef(f"{group}/{i}")
            g.add((group, POL.hasCriterion, node))
            g.add((node, RDF.type, POL.Criterion))
            g.add((node, POL.position, Literal(i)))
            g.add((node, POL.text, Literal(criterion.text)))
            self.span(node, criterion.span)
            self.criteria(node, criterion.items, criterion.logic)

    def condition(self, node: URIRef, statement: URIRef, c: Condition) -> None:
        g = self.graph
        g.add((statement, POL.hasCondition, node))
        g.add((node, RDF.type, POL.Criterion))
        g.add((node, POL.text, Literal(c.text)))
        g.add((node, POL.conditionKind, Literal(c.kind)))
        self.text(node, POL.priorTreatment, c.subject)
        if c.required_status:
            g.add((node, POL.requiredStatus, status_iri(c.required_status)))
        self.span(node, c.span)

    def prior_authorization(self) -> None:
        g, p = self.graph, self.policy
        for pa in self.facts.prior_authorization:
            if pa.product is None or pa.setting is None:
                continue  # a sentence's requirement, not a table cell: mentions_rdf
            product = product_iri(pa.product)
            node = URIRef(f"{p}/prior-authorization/{slug(str(product).rsplit('/', 1)[-1])}/{slug(pa.setting)}")
            g.add((p, POL.hasPriorAuthorization, node))
            g.add((node, RDF.type, POL.PriorAuthorizationRequirement))
            g.add((node, POL.forProduct, product))
            g.add((node, POL.inSetting, setting_iri(pa.setting)))
            for service in g.objects(p, POL.aboutService):
                g.add((node, POL.aboutService, service))
            if pa.required is not None:
                g.add((node, POL.priorAuthorizationRequired, Literal(pa.required)))
            self.text(node, POL.note, pa.note)
            self.span(node, pa.span)
            if (product, RDF.type, POL.PlanProduct) not in g:
                g.add((product, RDF.type, POL.PlanProduct))
                g.add((product, SKOS.prefLabel, Literal(pa.product, lang="en")))

    def codes(self) -> None:
        add_code_listings(self.graph, self.policy, self.facts.codes, self.span)

    def dates(self) -> None:
        g, p = self.graph, self.policy
        for d in self.facts.dates:
            node = URIRef(f"{p}/date/{d.kind}")
            g.add((p, POL.hasPolicyDate, node))
            g.add((node, RDF.type, POL.PolicyDate))
            g.add((node, POL.dateKind, Literal(d.kind)))
            g.add((node, POL.dateValue, date_literal(d.date)))
            self.span(node, d.span)

    def history(self) -> None:
        g, p = self.graph, self.policy
        for i, (h, node) in enumerate(zip(self.facts.history, history_iris(self.facts), strict=True), start=1):
            g.add((p, POL.hasHistoryEvent, node))
            g.add((node, RDF.type, POL.PolicyHistoryEvent))
            g.add((node, POL.position, Literal(i)))
            g.add((node, POL.eventDate, date_literal(h.date)))
            if h.end:
                g.add((node, POL.eventEnd, date_literal(h.end)))
            g.add((node, POL.text, Literal(h.action)))
            g.add((node, PROV.used, p))
            self.span(node, h.span)

    def references(self) -> None:
        add_references(self)

    def citations(self) -> None:
        add_citations(self)

    def figures(self) -> None:
        g, p = self.graph, self.policy
        for i, fig in enumerate(self.facts.figures, start=1):
            node = URIRef(f"{p}/figure/{i}")
            g.add((p, POL.reportsFigure, node))
            g.add((node, RDF.type, POL.ReportedFigure))
            g.add((node, POL.figureLabel, Literal(fig.label)))
            g.add((node, POL.lowValue, decimal_literal(fig.low)))
            g.add((node, POL.highValue, decimal_literal(fig.high)))
            g.add((node, POL.unit, Literal(fig.unit)))
            self.span(node, fig.span)

    def evidence(self) -> None:
        g, p = self.graph, self.policy
        for i, e in enumerate(self.facts.evidence, start=1):
            node = URIRef(f"{p}/evidence/{i}")
            g.add((p, POL.hasEvidenceAssessment, node))
            g.add((node, RDF.type, POL.EvidenceAssessment))
            g.add((node, POL.text, Literal(e.text)))
            g.add((node, POL.conclusion, Literal(e.conclusion)))
            self.text(node, POL.population, e.population)
            self.text(node, POL.intervention, e.intervention)
            for value in e.evidence_types:
                g.add((node, POL.evidenceType, Literal(value)))
            for value in e.outcomes:
                g.add((node, POL.outcome, Literal(value)))
            self.span(node, e.span)


def facts_to_graph(facts: PolicyFacts) -> Graph:
    """The policy's asserted graph: deterministic IRIs, so equal facts give isomorphic graphs."""
    return _Builder(facts).build()
