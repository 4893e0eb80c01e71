"""IRIs as a query writer reads them: prefixed names (``pol:hasStatus``) and, on request, the
resource's own label (``rdfs:label``, ``skos:prefLabel``, ``dcterms:title``, ``schema:name``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef

BASE = "https://w3id.org/policy-explorer/"

#: The prefixes of ``ontology/policy.ttl`` and the project's own namespaces, longest first when matched.
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "bibo": "http://purl.org/ontology/bibo/",
    "fabio": "http://purl.org/spar/fabio/",
    "cito": "http://purl.org/spar/cito/",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "pol": BASE + "ontology#",
    "status": BASE + "vocab/status/",
    "disease": BASE + "vocab/disease/",
    "product": BASE + "vocab/product/",
    "setting": BASE + "vocab/setting/",
    "codesystem": BASE + "vocab/code-system/",
    "topic": BASE + "vocab/topic/",
    "payer": BASE + "vocab/payer/",
    "lob": BASE + "vocab/line-of-business/",
    "id": BASE + "id/",
}
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
LABELS_QUERY = (Path(__file__).parent / "queries" / "labels.rq").read_text(encoding="utf-8")


def prefixed(iri: str) -> str:
    """``pol:hasStatus`` for the ontology's IRI; an IRI outside the known namespaces unchanged."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def prefix_block() -> str:
    """``PREFIX`` lines for every known prefix, to paste above a query."""
    return "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


def label_map(store: Any) -> dict[str, str]:
    """Every labelled IRI in the store (policy graphs and vocabulary) with its best label."""
    best: dict[str, tuple[int, str]] = {}
    for row in store.query(LABELS_QUERY):
        iri, label, rank = str(row[0]), str(row[1]), int(str(row[2]))
        if iri not in best or (rank, label) < best[iri]:
            best[iri] = (rank, label)
    return {iri: label for iri, (_, label) in best.items()}


def shown(term: Any, labels: Mapping[str, str] | None) -> str:
    """A result cell: with ``labels``, an IRI's label (else its prefixed name); without, the IRI."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef) and labels is not None:
        return labels.get(str(term)) or prefixed(str(term))
    if isinstance(term, Literal):
        return str(term)
    return str(term)
