"""Content negotiation: pick a response media type from an HTTP ``Accept`` header (RFC 9110 q-values)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: SELECT / ASK results, preferred first (the first is the default for ``*/*`` or no Accept).
RESULT_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
)

#: CONSTRUCT / DESCRIBE results, preferred first.
GRAPH_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/x-turtle",
    "text/plain",
    "application/json",
    "application/xml",
)

#: Short names accepted in a ``format=`` parameter (overrides Accept; handy in a browser bar and
#: sent by SPARQLWrapper), per result kind: ``xml`` means SPARQL XML results for SELECT and RDF/XML
#: for CONSTRUCT.
RESULT_ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_ALIASES: dict[str, str] = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
}


#: Media types other tools send that name one we write (SPARQLWrapper's JSON-LD request lists
#: ``application/x-json+ld`` after ``application/ld+json``).
MEDIA_SYNONYMS: dict[str, str] = {"application/x-json+ld": "application/ld+json"}


def format_media_type(name: str, graph: bool) -> str | None:
    """The media type a ``format=`` value names for this kind of result; None if it names nothing
    this kind of result can be written as. The value is a short name (``json``, ``ttl``), a media
    type, or a list of them read like an Accept header (``application/ld+json,application/x-json+ld``,
    as SPARQLWrapper sends; q-values count): the first one offered wins."""
    aliases, offered = (GRAPH_ALIASES, GRAPH_TYPES) if graph else (RESULT_ALIASES, RESULT_TYPES)
    ranges = []
    for part in name.split(",")[:64]:
        media, _, params = part.strip().partition(";")
        key = media.strip().lower()
        key = MEDIA_SYNONYMS.get(key, aliases.get(key, key))
        ranges.append(key + (";" + params if params else ""))
    if not any("/" in r for r in ranges):
        return None
    return choose(",".join(ranges), offered)


@dataclass(frozen=True)
class _Range:
    kind: str      # "text" or "*"
    subtype: str   # "csv" or "*"
    q: float
    order: int


def parse_accept(header: str | None) -> list[_Range]:
    """The media ranges of an Accept header, best first (q, then specificity, then order)."""
    ranges: list[_Range] = []
    for order, part in enumerate((header or "").split(",")[:64]):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        kind, _, subtype = media.partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(kind, subtype, q, order))
    return sorted(ranges, key=lambda r: (-r.q, r.kind == "*", r.subtype == "*", r.order))


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the client prefers; the first offered if no Accept; None if none is acceptable."""
    if not header or not header.strip():
        return offered[0]
    ranges = parse_accept(header)
    best: tuple[float, int, int, str] | None = None
    for position, media in enumerate(offered):
        kind, _, subtype = media.partition("/")
        q = _quality(ranges, kind, subtype)
        if q <= 0:
            continue
        key = (-q, _specificity(ranges, kind, subtype), position, media)
        if best is None or key < best:
            best = key
    return None if best is None else best[3]


def _matching(ranges: list[_Range], kind: str, subtype: str) -> _Range | None:
    """The most specific range matching kind/subtype (exact > kind/* > */*)."""
    found: _Range | None = None
    for r in ranges:
        if (r.kind, r.subtype) == (kind, subtype):
            return r
        kind_wildcard = r.kind == kind and r.subtype == "*" and (found is None or found.kind == "*")
        if kind_wildcard or (r.kind == "*" and found is None):
            found = r
    return found


def _quality(ranges: list[_Range], kind: str, subtype: str) -> float:
    match = _matching(ranges, kind, subtype)
    return 0.0 if match is None else match.q


def _specificity(ranges: list[_Range], kind: str, subtype: str) -> int:
    """0 for an exact match, 1 for type/*, 2 for */* (prefer what the client named)."""
    match = _matching(ranges, kind, subtype)
    if match is None or match.kind == "*":
        return 2
    return 1 if match.subtype == "*" else 0
