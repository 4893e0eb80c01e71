"""One policy graph -> PolicyFacts (the inverse of ``to_rdf.facts_to_graph``).

``show`` and the exports read policies back from the store through this, so whatever the store
holds is what users see; the round trip facts -> graph -> facts is tested to be lossless.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import IdentifiedNode, Identifier, Node

from explorer.errors import StoreError
from explorer.ingest.facts import (
    Citation,
    Code,
    Condition,
    Criterion,
    DiseaseMention,
    EvidenceAssessment,
    Figure,
    HistoryEvent,
    PolicyDate,
    PolicyFacts,
    PriorAuthorization,
    Reference,
    Section,
    Span,
    Statement,
)
from explorer.model.iris import BIBO, CITO, FABIO, OA, local_name
from explorer.model.mentions_rdf import read_code_mentions, read_sentence_prior_authorization
from explorer.model.named_tests_rdf import read_named_tests
from explorer.model.namespace import POL


def _index(node: URIRef) -> int:
    """The trailing number of a fact IRI (``.../statement/3`` -> 3) for ordering."""
    tail = local_name(node)
    return int(tail) if tail.isdigit() else 0


class _Reader:
    def __init__(self, graph: Graph, policy: URIRef) -> None:
        self.g = graph
        self.p = policy

    def one(self, s: Node | None, p: URIRef) -> IdentifiedNode | Literal | None:
        value = self.g.value(s, p)
        assert value is None or isinstance(value, (IdentifiedNode, Literal))  # only N3 formulae hold graphs
        return value

    def str_(self, s: Node | None, p: URIRef) -> str | None:
        value = self.g.value(s, p)
        return None if value is None else str(value)

    def ordered(self, p: URIRef, owner: URIRef | None = None, by: URIRef | None = None) -> list[URIRef]:
        """The objects of ``p``, by the integer value of ``by`` when given, else by their IRI's
        trailing number (positional IRIs: indications, figures ...)."""
        nodes = [o for o in self.g.objects(owner or self.p, p) if isinstance(o, URIRef)]
        if by is not None:
            return sorted(nodes, key=lambda n: (int(self.one(n, by) or 0), str(n)))
        return sorted(nodes, key=_index)

    def span_of(self, node: Node | None) -> Span | None:
        if node is None:
            return None
        start = end = exact = None
        for selector in self.g.objects(node, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in self.g:
                start, end = self.one(selector, OA.start), self.one(selector, OA.end)
            elif (selector, RDF.type, OA.TextQuoteSelector) in self.g:
                exact = self.one(selector, OA.exact)
        if start is None or end is None or exact is None:
            raise StoreError(f"{node}: text span without position and quote selectors")
        return Span(int(start), int(end), str(exact))

    def span(self, fact: Node) -> Span | None:
        spans = sorted(o for o in self.g.objects(fact, POL.sourceSpan) if isinstance(o, Identifier))
        return self.span_of(spans[0]) if spans else None

    def must_span(self, fact: Node) -> Span:
        span = self.span(fact)
        if span is None:
            raise StoreError(f"{fact}: fact without pol:sourceSpan")
        return span

    def diseases(self, owner: URIRef) -> tuple[DiseaseMention, ...]:
        out = []
        for node in self.g.objects(owner, POL.mentionsDisease):
            concept = self.one(node, POL.diseaseConcept)
            for span_node in self.g.objects(node, POL.sourceSpan):
                span = self.span_of(span_node)
                if concept is not None and span is not None:
                    out.append(DiseaseMention(local_name(concept), span))
        return tuple(sorted(out, key=lambda d: (d.span.start, d.span.end, d.disease)))

    def read(self) -> PolicyFacts:
        g, p = self.g, self.p
        if (p, RDF.type, POL.MedicalPolicy) not in g:
            raise StoreError(f"{p}: no such policy in this graph")
        source = self.one(p, POL.sourceDocument)
        payer = self.one(p, POL.publishedBy)
        return PolicyFacts(
            payer=self._payer_label(payer),
            number=self.str_(p, POL.policyNumber) or "",
            title=self.str_(p, DCTERMS.title) or "",
            text=self.str_(source, POL.documentText) or "",
            path=self.str_(source, POL.fileName) or "",
            sha256=self.str_(source, POL.sha256) or "",
            sections=self.sections(),
            bcbsa_reference=self.str_(p, POL.bcbsaReference),
            ncd_lcd=self.str_(p, POL.ncdLcd),
            identifier=self.str_(p, POL.policyIdentifier),
            family=self.str_(p, POL.layoutFamily),
            related_policies=tuple(sorted(str(o) for o in g.objects(p, POL.relatedPolicy))),
            applies_to=tuple(sorted(str(o) for o in g.objects(p, POL.appliesTo))),
            statements=self.statements(),
            prior_authorization=self.prior_authorization(),
            codes=self.codes(),
            code_mentions=read_code_mentions(g, {str(n): int(self.one(n, POL.statementNumber) or 0)  # type: ignore[arg-type]
                                                 for n in g.objects(p, POL.hasStatement)},
                                             self.str_(source, POL.documentText) or "", self.span),
            named_tests=read_named_tests(g, p, self.span),
            history=self.history(),
            dates=self.dates(),
            references=self.references(),
            citations=self.citations(),
            figures=self.figures(),
            evidence=self.evidence(),
            diseases=self.diseases(p),
            # the reader sets the file's name and its bytes' hash together (explorer.read)
            source_name=self.str_(source, POL.fileName) if (source, POL.originalSha256, None) in g else None,
            media_type=self.str_(source, DCTERMS.format) or "text/plain",
            original_sha256=self.str_(source, POL.originalSha256),
            source_url=self.str_(source, DCTERMS.source),
            retrieved=self.str_(source, POL.retrievedAt),
        )

    def _payer_label(self, payer: object) -> str:
        if payer is None:
            return ""
        from explorer.vocab import load_lexicon

        slug = local_name(str(payer))
        term = next((t for t in load_lexicon().payers if t.slug == slug), None)
        return term.label if term else slug

    def sections(self) -> tuple[Section, ...]:
        out = [
            Section(
                name=self.str_(n, POL.sectionName) or "",
                heading=self.str_(n, POL.heading) or "",
                start=int(self.one(n, POL.startOffset) or 0),
                end=int(self.one(n, POL.endOffset) or 0),
            )
            for n in self.g.objects(self.p, POL.hasSection)
        ]
        return tuple(sorted(out, key=lambda s: s.start))

    def statements(self) -> tuple[Statement, ...]:
        out = []
        for node in self.ordered(POL.hasStatement, by=POL.statementNumber):
            service = self.one(node, POL.aboutService)
            out.append(
                Statement(
                    number=int(self.one(node, POL.statementNumber)),  # type: ignore[arg-type]
                    status=local_name(str(self.one(node, POL.hasStatus))),
                    status_label=self.str_(node, POL.statusLabel) or "",
                    service=self.str_(service, RDFS.label) or "",
                    text=self.str_(node, POL.text) or "",
                    span=self.must_span(node),
                    indications=tuple(self.str_(i, POL.text) or "" for i in self.ordered(POL.hasIndication, node)),
                    conditions=tuple(self.condition(c) for c in self.ordered(POL.hasCondition, node)),
                    diseases=self.diseases(node),
                    criteria=self.criteria(node),
                    criteria_logic=self.criteria_logic(node),
                )
            )
        return tuple(out)

    def criteria_logic(self, owner: URIRef) -> str | None:
        group = self.one(owner, POL.hasCriteria)
        combination, minimum = self.str_(group, POL.combination), self.str_(group, POL.minimumCount)
        return f"{combination}-{minimum}" if combination == "at-least" and minimum else combination

    def criteria(self, owner: URIRef) -> tuple[Criterion, ...]:
        group = self.one(owner, POL.hasCriteria)
        if group is None:
            return ()
        members = [m for m in self.g.objects(group, POL.hasCriterion) if isinstance(m, URIRef)]
        members.sort(key=lambda m: (int(self.one(m, POL.position) or 0), str(m)))
        return tuple(
            Criterion(
                text=self.str_(m, POL.text) or "",
                span=self.must_span(m),
                logic=self.criteria_logic(m),
                items=self.criteria(m),
            )
            for m in members
        )

    def condition(self, node: URIRef) -> Condition:
        status = self.one(node, POL.requiredStatus)
        return Condition(
            text=self.str_(node, POL.text) or "",
            kind=self.str_(node, POL.conditionKind) or "text",
            subject=self.str_(node, POL.priorTreatment),
            required_status=None if status is None else local_name(str(status)),
            span=self.span(node),
        )

    def prior_authorization(self) -> tuple[PriorAuthorization, ...]:
        out = []
        for node in self.g.objects(self.p, POL.hasPriorAuthorization):
            product = self.one(node, POL.forProduct)
            if product is None or (node, POL.inSetting, None) not in self.g:
                continue  # a sentence's requirement: read_sentence_prior_authorization
            required = self.one(node, POL.priorAuthorizationRequired)
            out.append(
                PriorAuthorization(
                    product=self._product_label(product),
                    setting=local_name(str(self.one(node, POL.inSetting))),
                    required=None if required is None else bool(required.toPython()),
                    span=self.must_span(node),
                    note=self.str_(node, POL.note),
                )
            )
        out += read_sentence_prior_authorization(self.g, self.p, self.span, self._product_label)
        return tuple(sorted(out, key=lambda pa: pa.span.start))

    def _product_label(self, product: Node | None) -> str:
        label = self.g.value(product, SKOS.prefLabel)
        if label is not None:
            return str(label)
        from explorer.vocab import load_lexicon

        slug = local_name(str(product))
        term = next((t for t in load_lexicon().products if t.slug == slug), None)
        return term.label if term else slug

    def codes(self) -> tuple[Code, ...]:
        out = []
        # the shared code says what the code is; this policy's listing what it printed about it
        for listing in self.g.objects(self.p, POL.hasCodeListing):
            node = self.one(listing, POL.listedCode)
            scheme = self.one(node, SKOS.inScheme)
            out.append(
                Code(
                    system=self._system_notation(scheme),
                    code=self.str_(node, SKOS.notation) or "",
                    description=self.str_(listing, POL.codeDescription) or "",
                    span=self.must_span(listing),
                )
            )
        return tuple(sorted(out, key=lambda c: c.span.start if c.span else 0))

    def _system_notation(self, scheme: Node | None) -> str:
        notation = self.g.value(scheme, SKOS.notation)
        return str(notation) if notation is not None else local_name(str(scheme)).upper()

    def dates(self) -> tuple[PolicyDate, ...]:
        out = []
        for node in self.g.objects(self.p, POL.hasPolicyDate):
            out.append(PolicyDate(kind=self.str_(node, POL.dateKind) or "", date=str(self.one(node, POL.dateValue)),
                                  span=self.must_span(node)))
        return tuple(sorted(out, key=lambda d: (d.span.start, d.kind)))

    def history(self) -> tuple[HistoryEvent, ...]:
        out = []
        for node in self.ordered(POL.hasHistoryEvent, by=POL.position):
            end = self.one(node, POL.eventEnd)
            out.append(
                HistoryEvent(
                    date=str(self.one(node, POL.eventDate)),
                    action=self.str_(node, POL.text) or "",
                    span=self.must_span(node),
                    end=None if end is None else str(end),
                )
            )
        return tuple(out)

    def references(self) -> tuple[Reference, ...]:
        out = []
        for node in self.ordered(POL.hasReference, by=POL.referenceNumber):
            text = self.str_(node, DCTERMS.bibliographicCitation) or ""
            authors = sorted((str(a) for a in self.g.objects(node, DCTERMS.creator)), key=lambda a: (text.find(a), a))
            year = self.one(node, DCTERMS.issued)
            topics = [local_name(str(t)) for t in self.g.objects(node, POL.aboutTopic)]
            topics += [d.disease for d in self.diseases(node)]
            out.append(
                Reference(
                    number=int(self.one(node, POL.referenceNumber)),  # type: ignore[arg-type]
                    text=text,
                    span=self.must_span(node),
                    authors=tuple(authors),
                    title=self.str_(node, DCTERMS.title),
                    journal=self.str_(node, POL.journal),
                    date=self.str_(node, POL.publicationDate),
                    year=None if year is None else int(str(year)),
                    volume=self.str_(node, BIBO.volume),
                    issue=self.str_(node, BIBO.issue),
                    pages=self.str_(node, BIBO.pages),
                    pmid=self.str_(node, BIBO.pmid),
                    url=self.str_(node, BIBO.uri),
                    doi=self.str_(node, BIBO.doi),
                    pmcid=self.str_(node, FABIO.hasPubMedCentralId),
                    topics=tuple(sorted(set(topics))),
                )
            )
        return tuple(out)

    def citations(self) -> tuple[Citation, ...]:
        out = []
        for node in self.ordered(POL.hasCitation):
            reference = self.one(node, CITO.hasCitedEntity)
            sentence = self.span_of(self.one(node, CITO.hasCitingEntity))
            out.append(
                Citation(
                    reference=int(self.one(reference, POL.referenceNumber) or _index(reference)),  # type: ignore[arg-type]
                    marker=self.str_(node, POL.marker) or "",
                    span=self.must_span(node),
                    sentence=sentence,  # type: ignore[arg-type]
                )
            )
        return tuple(out)

    def figures(self) -> tuple[Figure, ...]:
        return tuple(
            Figure(
                label=self.str_(n, POL.figureLabel) or "",
                low=float(self.one(n, POL.lowValue)),  # type: ignore[arg-type]
                high=float(self.one(n, POL.highValue)),  # type: ignore[arg-type]
                unit=self.str_(n, POL.unit) or "",
                span=self.must_span(n),
            )
            for n in self.ordered(POL.reportsFigure)
        )

    def _in_text_order(self, node: URIRef, p: URIRef) -> tuple[str, ...]:
        text = self.str_(node, POL.text) or ""
        return tuple(sorted((str(o) for o in self.g.objects(node, p)), key=lambda v: (text.find(v), v)))

    def evidence(self) -> tuple[EvidenceAssessment, ...]:
        return tuple(
            EvidenceAssessment(
                text=self.str_(n, POL.text) or "",
                conclusion=self.str_(n, POL.conclusion) or "",
                span=self.must_span(n),
                population=self.str_(n, POL.population),
                intervention=self.str_(n, POL.intervention),
                evidence_types=self._in_text_order(n, POL.evidenceType),
                outcomes=self._in_text_order(n, POL.outcome),
            )
            for n in self.ordered(POL.hasEvidenceAssessment)
        )


def graph_to_facts(graph: Graph, policy: URIRef | str) -> PolicyFacts:
    """Read the policy ``policy`` back from its asserted graph."""
    return _Reader(graph, URIRef(str(policy))).read()


def policies_in(graph: Graph) -> list[URIRef]:
    """The policy IRIs a graph describes."""
    return sorted(s for s in graph.subjects(RDF.type, POL.MedicalPolicy) if isinstance(s, URIRef))
