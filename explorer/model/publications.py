"""The publication a reference-list entry cites: its identity (PMID, else DOI, else the entry's
text) and its kind (journal article, guideline, technology assessment ...).

The entry is the policy's own (a BiRO bibliographic reference, ``{policy}/reference/...``); the
publication is shared by every policy citing it, so its IRI comes from the identifier alone::

    .../id/publication/pmid/17361226
    .../id/publication/doi/10.1200/jco.23.00638        (DOIs are case-insensitive: lower-cased)
    .../id/publication/text/{text key}                 (neither: the normalised printed text)

Kinds, their FaBiO classes and the patterns that recognise them are data
(``data/vocab/publication-kinds.ttl``), tried in order; the fallbacks are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from explorer.ingest.facts import Reference
from explorer.model.iris import ID, PUBLICATION_KIND, VOCAB, text_key
from explorer.model.namespace import POL
from explorer.resources import vocab_dir
from explorer.vocab import read_turtle


def reference_doi(reference: Reference) -> str | None:
    """The DOI the entry prints (``Reference.doi``, found by ``explorer.ingest.reference_ids``,
    which refuses one cut short such as ``10.1093/annonc/``), lower-cased: DOIs are
    case-insensitive, so two policies printing one DOI differently cite one publication."""
    return reference.doi.lower() if reference.doi else None


def publication_iri(reference: Reference) -> URIRef:
    """The cited publication: by PMID, else by DOI, else by the entry's normalised text."""
    if reference.pmid:
        return ID[f"publication/pmid/{reference.pmid}"]
    doi = reference_doi(reference)
    if doi:
        return ID["publication/doi/" + quote(doi, safe="/.-_()")]
    return ID[f"publication/text/{text_key(reference.text)}"]


@dataclass(frozen=True)
class PublicationKind:
    """A kind of cited publication: its concept, its FaBiO class and what recognises it."""

    concept: URIRef
    fabio_class: URIRef
    patterns: tuple[re.Pattern[str], ...]


@cache
def publication_kinds(path: Path | None = None) -> tuple[PublicationKind, ...]:
    """The kinds of ``data/vocab/publication-kinds.ttl`` in the order they are tried."""
    graph: Graph = read_turtle(path or vocab_dir() / "publication-kinds.ttl")
    kinds = []
    for concept in graph.subjects(SKOS.inScheme, VOCAB["publication-kinds"]):
        position = graph.value(concept, POL.position)
        patterns = tuple(re.compile(str(p)) for p in sorted(graph.objects(concept, POL.textPattern), key=str))
        fabio = graph.value(concept, POL.publicationClass)
        if isinstance(concept, URIRef) and isinstance(fabio, URIRef) and isinstance(position, Literal):
            kinds.append((int(position), PublicationKind(concept, fabio, patterns)))
    return tuple(kind for _, kind in sorted(kinds, key=lambda k: k[0]))


def publication_kind(reference: Reference) -> PublicationKind | None:
    """The first kind whose pattern matches the entry's text; else a journal article when it gives
    a PMID, a DOI or a journal, a web page when it gives only a URL; else None (no stated kind)."""
    kinds = publication_kinds()
    for kind in kinds:
        if any(p.search(reference.text) for p in kind.patterns):
            return kind
    by_concept = {k.concept: k for k in kinds}
    if reference.pmid or reference.journal or reference_doi(reference):
        return by_concept.get(PUBLICATION_KIND["journal-article"])
    if reference.url:
        return by_concept.get(PUBLICATION_KIND["web-page"])
    return None
