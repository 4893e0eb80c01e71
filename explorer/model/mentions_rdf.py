"""Codes named in prose and prior-authorization sentences as RDF, and back.

A code a statement or criterion names (``PolicyFacts.code_mentions``) is a link from that node to
the shared billing code (with its notation and scheme; not typed here, so a code only mentioned
carries no listing's obligations); its characters are found again on reading, inside the owner's
span::

    {p}/statement/{key} pol:mentionsCode .../id/code/cpt/0239U .
    {p}/statement/{key}/criteria/2 pol:mentionsCode .../id/code/cpt/81479 .

A prior-authorization sentence that is not a product x setting cell (``PriorAuthorization.scope``
``product``, ``line-of-business`` or ``policy``) is a ``pol:PriorAuthorizationRequirement`` keyed
by the sentence: ``{p}/prior-authorization/{product | lob-{slug} | policy}/{setting | any}/{text key}``,
with ``pol:forProduct`` or ``pol:forLineOfBusiness`` when it names one, ``pol:reviewedBy`` (the
vendor), the requirement, note and span. Table cells stay in ``to_rdf``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from explorer.ingest.facts import CodeMention, PolicyFacts, PriorAuthorization, Span
from explorer.model.iris import LOB, code_iri, code_system_iri, local_name, setting_iri, slug, text_key
from explorer.model.namespace import POL
from explorer.model.vocabulary import product_iri
from explorer.vocab import load_lexicon

SpanWriter = Callable[[URIRef, Span | None], None]
SpanReader = Callable[[URIRef], Span | None]


def add_mentions(graph: Graph, policy: URIRef, facts: PolicyFacts, statement_iris: dict[int, str],
                 span: SpanWriter) -> None:
    """Code mentions and sentence-level prior authorization of ``facts`` into ``graph``."""
    for m in facts.code_mentions:
        owner = URIRef(statement_iris[m.statement] + "".join(f"/criteria/{i}" for i in m.criterion))
        code = code_iri(m.system, m.code)
        graph.add((owner, POL.mentionsCode, code))
        # notation and scheme, so a query can name the code; typed pol:BillingCode by the listing
        # when the policy lists it, else by the reasoner (the range of pol:mentionsCode)
        graph.add((code, SKOS.notation, Literal(m.code)))
        graph.add((code, SKOS.inScheme, code_system_iri(m.system)))
    for pa in facts.prior_authorization:
        if pa.scope != "cell":
            _add_sentence(graph, policy, pa, span)


def prior_authorization_iri(policy: URIRef, pa: PriorAuthorization) -> URIRef:
    """The IRI of a sentence-level requirement (content keys: scope, setting, sentence)."""
    if pa.product is not None:
        scope = local_name(str(product_iri(pa.product)))
    elif pa.line_of_business is not None:
        scope = f"lob-{_lob_slug(pa.line_of_business)}"
    else:
        scope = "policy"
    return URIRef(f"{policy}/prior-authorization/{scope}/{slug(pa.setting or 'any')}/{text_key(pa.span.quote)}")


def _lob_slug(label: str) -> str:
    term = load_lexicon().lines_of_business.lookup(label)
    return term.slug if term else slug(label)


def _add_sentence(graph: Graph, policy: URIRef, pa: PriorAuthorization, span: SpanWriter) -> None:
    node = prior_authorization_iri(policy, pa)
    graph.add((policy, POL.hasPriorAuthorization, node))
    graph.add((node, RDF.type, POL.PriorAuthorizationRequirement))
    if pa.product is not None:
        graph.add((node, POL.forProduct, product_iri(pa.product)))
    if pa.line_of_business is not None:
        graph.add((node, POL.forLineOfBusiness, LOB[_lob_slug(pa.line_of_business)]))
    if pa.setting is not None:
        graph.add((node, POL.inSetting, setting_iri(pa.setting)))
    if pa.required is not None:
        graph.add((node, POL.priorAuthorizationRequired, Literal(pa.required)))
    if pa.note:
        graph.add((node, POL.note, Literal(pa.note)))
    if pa.reviewer:
        graph.add((node, POL.reviewedBy, Literal(pa.reviewer)))
    span(node, pa.span)


def read_sentence_prior_authorization(graph: Graph, policy: URIRef, span: SpanReader,
                                      product_label: Callable[[URIRef], str]) -> tuple[PriorAuthorization, ...]:
    """The sentence-level requirements of ``policy`` (those that are not a product x setting cell)."""
    out = []
    for node in graph.objects(policy, POL.hasPriorAuthorization):
        product = graph.value(node, POL.forProduct)
        setting = graph.value(node, POL.inSetting)
        if product is not None and setting is not None:
            continue  # a cell: to_rdf / from_rdf
        found = span(node)  # type: ignore[arg-type]
        if found is None:
            continue
        lob = graph.value(node, POL.forLineOfBusiness)
        required = graph.value(node, POL.priorAuthorizationRequired)
        note, reviewer = graph.value(node, POL.note), graph.value(node, POL.reviewedBy)
        out.append(PriorAuthorization(
            product=None if product is None else product_label(product),  # type: ignore[arg-type]
            setting=None if setting is None else local_name(str(setting)),
            required=None if not isinstance(required, Literal) else bool(required.toPython()),
            span=found, note=None if note is None else str(note),
            line_of_business=None if lob is None else _lob_label(str(lob)),
            reviewer=None if reviewer is None else str(reviewer)))
    return tuple(sorted(out, key=lambda pa: (pa.span.start, pa.product or "", pa.line_of_business or "")))


def _lob_label(iri: str) -> str:
    wanted = local_name(iri)
    term = next((t for t in load_lexicon().lines_of_business if t.slug == wanted), None)
    return term.label if term else wanted


def read_code_mentions(graph: Graph, statements: dict[str, int], text: str,
                       span: SpanReader) -> tuple[CodeMention, ...]:
    """The code mentions of the statements (``{statement IRI: number}``) and their criteria; each
    mention's characters are the code's first occurrence inside its owner's span."""
    out = []
    for owner, code in graph.subject_objects(POL.mentionsCode):
        head = next((iri for iri in statements if str(owner) == iri or str(owner).startswith(iri + "/")), None)
        owner_span = span(owner)  # type: ignore[arg-type]
        notation = graph.value(code, SKOS.notation)
        if head is None or owner_span is None or notation is None:
            continue
        path = tuple(int(i) for i in re.findall(r"/criteria/(\d+)", str(owner)[len(head):]))
        found = _find(text, str(notation), owner_span)
        if found is not None:
            out.append(CodeMention(local_name(str(graph.value(code, SKOS.inScheme))).upper(), str(notation),
                                   found, statements[head], path))
    return tuple(sorted(out, key=lambda m: (m.statement, m.criterion, m.span.start)))


def _find(text: str, code: str, within: Span) -> Span | None:
    pattern = r"\s*[-–—]\s*".join(re.escape(part) for part in code.split("-"))
    m = re.compile(rf"(?<![\w]){pattern}(?!\w)").search(text, within.start, within.end)
    return None if m is None else Span(m.start(), m.end(), m.group())
