"""A policy's code table as RDF: one ``pol:CodeListing`` per listed code (issue 16 item 7).

A billing code (``.../id/code/{system}/{code}``) is one resource shared by every policy that lists
it, so it carries only what the code system says (notation, scheme). What one policy prints about
it (its description, the row's characters, the code's role) belongs to that policy's listing::

    {p} pol:listsCode {code} ; pol:hasCodeListing {p}/code-listing/{system}/{code} .
    {p}/code-listing/{system}/{code} a pol:CodeListing ; pol:listedCode {code} ;
        pol:codeDescription "..." ; pol:codeRole "procedure" ; pol:sourceSpan {span} .
    {code} a pol:BillingCode ; skos:notation "38242" ; skos:inScheme cs:cpt .
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from explorer.ingest.facts import Code, Span
from explorer.model.iris import code_iri, code_system_iri, slug
from explorer.model.namespace import POL

# The role a listed code plays, by its code system: a diagnosis code says for whom the service is
# covered; the others name the billed service.
DIAGNOSIS_SYSTEMS = frozenset({"icd-10-cm"})


def code_role(system: str) -> str:
    """``diagnosis`` for a diagnosis code system (ICD-10-CM), else ``procedure``."""
    return "diagnosis" if slug(system) in DIAGNOSIS_SYSTEMS else "procedure"


def listing_iris(policy: URIRef, codes: Iterable[Code]) -> list[URIRef]:
    """``{policy}/code-listing/{system}/{code}`` per code, in order; a code printed twice in the
    policy gets ``-2``, ``-3`` ... (content keys, never positions in the table)."""
    seen: dict[str, int] = {}
    out = []
    for c in codes:
        key = f"{slug(c.system)}/{c.code.strip().upper()}"
        seen[key] = seen.get(key, 0) + 1
        out.append(URIRef(f"{policy}/code-listing/{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")))
    return out


def add_code_listings(graph: Graph, policy: URIRef, codes: tuple[Code, ...],
                      span: Callable[[URIRef, Span | None], None]) -> None:
    """Add the policy's listings and the shared code nodes they point to; ``span(fact, span)``
    links a fact to its characters (the graph builder's span writer)."""
    for c, listing in zip(codes, listing_iris(policy, codes), strict=True):
        code = code_iri(c.system, c.code)
        graph.add((policy, POL.listsCode, code))
        graph.add((code, RDF.type, POL.BillingCode))
        graph.add((code, SKOS.notation, Literal(c.code)))
        graph.add((code, SKOS.inScheme, code_system_iri(c.system)))
        graph.add((policy, POL.hasCodeListing, listing))
        graph.add((listing, RDF.type, POL.CodeListing))
        graph.add((listing, POL.listedCode, code))
        graph.add((listing, POL.codeRole, Literal(code_role(c.system))))
        if c.description:
            graph.add((listing, POL.codeDescription, Literal(c.description)))
        span(listing, c.span)
