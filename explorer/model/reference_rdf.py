"""A policy's reference list and in-text citations as RDF (issue 16 item 8).

Each numbered entry is the policy's own bibliographic reference (BiRO), with what it prints and its
span; it points to the publication it cites, which is shared by every policy citing it (IRI from
the PMID, else the DOI: ``explorer.model.publications``), so "which policies cite PMID 17361226?"
is one join::

    {p} pol:hasReference {p}/reference/pmid-17361226 ; cito:citesAsEvidence {pub} .
    {p}/reference/pmid-17361226 a pol:Reference ;            # a biro:BibliographicReference
        pol:referenceNumber 12 ; dcterms:bibliographicCitation "..." ; bibo:pmid "17361226" ;
        bibo:doi "10.1200/JCO.23.00638" ; fabio:hasPubMedCentralId "PMC10870111" ;   # as printed
        dcterms:title ... ; biro:references {pub} ; pol:sourceSpan {span} .
    {pub} a fabio:JournalArticle ; pol:publicationKind kind:journal-article ; bibo:pmid "17361226" .
    {p}/citation/{n} a pol:Citation ; cito:hasCitedEntity {p}/reference/... ; cito:hasCitingEntity {sentence span} .

The printed details (title, journal, year ...) stay on the entry: policies print one publication
differently, and the shared node would otherwise collect every variant.
"""

from __future__ import annotations

from typing import Protocol

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from explorer.ingest.facts import DiseaseMention, PolicyFacts, Reference, Span
from explorer.model.iris import BIBO, BIRO, C4O, CITO, FABIO, slug, text_key, topic_iri
from explorer.model.keys import keyed
from explorer.model.namespace import POL
from explorer.model.publications import publication_iri, publication_kind, reference_doi


class Writer(Protocol):
    """What the graph builder (``explorer.model.to_rdf``) offers the writers of one kind of fact."""

    facts: PolicyFacts
    policy: URIRef
    graph: Graph

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None: ...
    def span(self, fact: URIRef, span: Span | None) -> None: ...
    def span_node(self, span: Span) -> URIRef: ...
    def diseases(self, owner: URIRef, mentions: list[DiseaseMention]) -> None: ...


def reference_iris(facts: PolicyFacts, policy: URIRef) -> dict[int, URIRef]:
    """Reference number -> IRI: ``.../reference/pmid-{pmid}``, ``.../reference/doi-{doi}`` or
    ``.../reference/{text key}``, never the reference's number in the list."""
    keys = []
    for r in facts.references:
        doi = reference_doi(r)
        if r.pmid:
            keys.append(f"pmid-{r.pmid}")
        elif doi:
            keys.append("doi-" + slug(doi))
        else:
            keys.append(text_key(r.text))
    iris = keyed(f"{policy}/reference", keys)
    return {r.number: iri for r, iri in zip(facts.references, iris, strict=True)}


def add_references(w: Writer) -> None:
    """The entries, the publications they cite, and the policy citing those as evidence."""
    g, p = w.graph, w.policy
    iris = reference_iris(w.facts, p)
    typed: set[URIRef] = set()  # a publication two entries cite takes the first entry's kind
    for r in w.facts.references:
        node = iris[r.number]
        g.add((p, POL.hasReference, node))
        g.add((node, RDF.type, POL.Reference))
        g.add((node, POL.referenceNumber, Literal(r.number)))
        g.add((node, DCTERMS.bibliographicCitation, Literal(r.text)))
        for author in r.authors:
            g.add((node, DCTERMS.creator, Literal(author)))
        w.text(node, DCTERMS.title, r.title)
        w.text(node, POL.journal, r.journal)
        w.text(node, POL.publicationDate, r.date)
        if r.year is not None:
            g.add((node, DCTERMS.issued, Literal(str(r.year), datatype=XSD.gYear)))
        w.text(node, BIBO.volume, r.volume)
        w.text(node, BIBO.issue, r.issue)
        w.text(node, BIBO.pages, r.pages)
        w.text(node, BIBO.pmid, r.pmid)
        w.text(node, BIBO.doi, r.doi)  # as printed; the publication's is lower-cased
        w.text(node, FABIO.hasPubMedCentralId, r.pmcid)
        if r.url:
            g.add((node, BIBO.uri, Literal(r.url, datatype=XSD.anyURI)))
        for topic in r.topics:
            if _is_disease(topic):
                w.diseases(node, [DiseaseMention(topic, r.span)])
            else:
                g.add((node, POL.aboutTopic, topic_iri(topic)))
        w.span(node, r.span)
        publication = _add_publication(g, r, with_kind=publication_iri(r) not in typed)
        typed.add(publication)
        g.add((node, BIRO.references, publication))
        g.add((p, CITO.citesAsEvidence, publication))


def _add_publication(g: Graph, r: Reference, *, with_kind: bool) -> URIRef:
    """The shared publication node: its identifiers and, where the entry makes it clear (and
    ``with_kind``), its kind."""
    node = publication_iri(r)
    kind = publication_kind(r) if with_kind else None
    if kind is not None:
        g.add((node, RDF.type, kind.fabio_class))
        g.add((node, POL.publicationKind, kind.concept))
    if r.pmid:
        g.add((node, BIBO.pmid, Literal(r.pmid)))
    doi = reference_doi(r)
    if doi:
        g.add((node, BIBO.doi, Literal(doi)))
    if r.pmcid:
        g.add((node, FABIO.hasPubMedCentralId, Literal(r.pmcid)))
    return node


def _is_disease(topic: str) -> bool:
    from explorer.vocab import load_lexicon

    return any(t.slug == topic for t in load_lexicon().diseases)


def add_citations(w: Writer) -> None:
    """Each in-text marker: the sentence citing (a span) and the entry it points to."""
    g, p = w.graph, w.policy
    references = reference_iris(w.facts, p)
    for i, c in enumerate(w.facts.citations, start=1):
        node = URIRef(f"{p}/citation/{i}")
        reference = references.get(c.reference, URIRef(f"{p}/reference/{c.reference}"))
        g.add((p, POL.hasCitation, node))
        g.add((node, RDF.type, POL.Citation))
        g.add((node, POL.citationOrder, Literal(i)))
        g.add((node, POL.marker, Literal(c.marker)))
        g.add((node, CITO.hasCitedEntity, reference))
        w.span(node, c.span)
        g.add((node, CITO.hasCitingEntity, w.span_node(c.sentence)))
        pointer = w.span_node(c.span)  # the marker where it stands: a C4O in-text pointer to the entry
        g.add((pointer, RDF.type, C4O.InTextReferencePointer))
        g.add((pointer, C4O.hasContent, Literal(c.marker)))
        g.add((pointer, C4O.denotes, reference))
