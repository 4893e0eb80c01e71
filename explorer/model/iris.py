"""IRIs of vocabulary concepts, policies, their facts and named graphs (rules: docs/model.md).

Every instance IRI derives from the payer, the policy number and the fact's content or role, never
from its position in the document, so re-ingesting an unchanged document mints the same IRIs and a
revision keeps the IRIs of what it did not change: a statement's key is a hash of its normalised
text, a reference's its PMID or DOI (else a hash of its normalised text), a history row's its date;
prior authorization is keyed by product and setting, a code by system and code. Spans are
``{document}#char={start},{end}`` (RFC 5147) in the document named by its SHA-256.
"""


from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef

from explorer.vocab.lexicon import slug  # one slug rule for vocabulary slugs and IRI segments

BASE = "https://w3id.org/policy-explorer/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
VOCAB = Namespace(BASE + "vocab/")
DIS = Namespace(BASE + "vocab/disease/")
PROD = Namespace(BASE + "vocab/product/")
LOB = Namespace(BASE + "vocab/line-of-business/")
STATUS = Namespace(BASE + "vocab/status/")
SETTING = Namespace(BASE + "vocab/setting/")
CS = Namespace(BASE + "vocab/code-system/")
TOPIC = Namespace(BASE + "vocab/topic/")
PAYER = Namespace(BASE + "vocab/payer/")
PUBLICATION_KIND = Namespace(BASE + "vocab/publication-kind/")
OA = Namespace("http://www.w3.org/ns/oa#")
CITO = Namespace("http://purl.org/spar/cito/")
BIRO = Namespace("http://purl.org/spar/biro/")
C4O = Namespace("http://purl.org/spar/c4o/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
SCHEMA = Namespace("https://schema.org/")

VOCABULARY_GRAPH = URIRef(BASE + "graph/vocabulary")
INFERRED_GRAPH_PREFIX = BASE + "graph/inferred/"
"""Every graph of OWL RL inferences starts so (one per policy, and the vocabulary's)."""
INFERRED_VOCABULARY_GRAPH = URIRef(INFERRED_GRAPH_PREFIX + "vocabulary")
INDEX_GRAPH_PREFIX = BASE + "graph/index/"
"""Every policy's index graph starts so: ``.../graph/index/{payer}/{number}``, triples derived from the
policy's graph at ingest for the queries (``explorer.model.span_index``); in the union, never exported."""
VERSION_GRAPH_PREFIX = BASE + "graph/version/"
"""Every graph of an earlier (not current) version of a policy starts so: ``.../graph/version/{payer}/
{number}/{date}``. Stores keep these graphs out of their union default graph (``explorer.store.base``)."""

PREFIXES: dict[str, str] = {
    "pol": BASE + "ontology#",
    "dis": str(DIS),
    "prod": str(PROD),
    "lob": str(LOB),
    "status": str(STATUS),
    "setting": str(SETTING),
    "cs": str(CS),
    "topic": str(TOPIC),
    "payer": str(PAYER),
    "oa": str(OA),
    "cito": str(CITO),
    "biro": str(BIRO),
    "c4o": str(C4O),
    "frbr": str(FRBR),
    "bibo": str(BIBO),
    "fabio": str(FABIO),
    "schema": str(SCHEMA),
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def normalised_text(text: str) -> str:
    """A text as fact keys see it: NFKC, case-folded, markup and punctuation dropped, whitespace
    collapsed."""
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())


def text_key(text: str) -> str:
    """A short, stable key for a text: the first 16 hex digits of the SHA-256 of its normalised
    form (:func:`normalised_text`), so re-wrapping a line or re-bolding a word keeps the key and
    changing a word changes it."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()[:16]


def document_iri(sha256: str) -> URIRef:
    """A source document by the SHA-256 of its text of record: ``.../id/document/sha256/{hex}``."""
    return ID[f"document/sha256/{sha256}"]


def span_iri(document: URIRef | str, start: int, end: int) -> URIRef:
    """A span of a document's characters, RFC 5147 style: ``{document}#char={start},{end}``."""
    return URIRef(f"{document}#char={start},{end}")


def policy_iri(payer: str, number: str) -> URIRef:
    """``.../id/policy/{payer-slug}/{number}``; ``payer`` is a slug or a label."""
    return ID[f"policy/{slug(payer)}/{slug(number)}"]


def payer_of_policy(policy: URIRef | str) -> str:
    """The payer part of a policy IRI, the inverse of :func:`policy_iri` (``.../policy/molina/051`` -> ``molina``)."""
    parts = str(policy).rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def graph_iri(policy: URIRef | str) -> URIRef:
    """The named graph holding one policy's asserted triples."""
    return URIRef(f"{policy}/graph")


def inferred_graph_iri(policy: URIRef | str) -> URIRef:
    """The named graph holding the triples OWL RL reasoning adds to one policy."""
    tail = str(policy).removeprefix(str(ID) + "policy/")
    return URIRef(f"{INFERRED_GRAPH_PREFIX}{tail}")


def index_graph_iri(policy: URIRef | str) -> URIRef:
    """The named graph holding the index triples derived from one policy's current graph
    (:func:`explorer.model.span_index.span_index`)."""
    tail = str(policy).removeprefix(str(ID) + "policy/")
    return URIRef(f"{INDEX_GRAPH_PREFIX}{tail}")


def policy_of_graph(graph: str) -> URIRef | None:
    """The policy IRI an asserted, inferred or index policy graph IRI belongs to, else ``None`` (also
    for the graph of an earlier version: :func:`version_of_graph`)."""
    if graph.startswith(str(ID) + "policy/") and graph.endswith("/graph"):
        return URIRef(graph.removesuffix("/graph"))
    if graph.startswith(INDEX_GRAPH_PREFIX) and len(graph) > len(INDEX_GRAPH_PREFIX):
        return ID["policy/" + graph.removeprefix(INDEX_GRAPH_PREFIX)]
    prefix = INFERRED_GRAPH_PREFIX
    if graph.startswith(prefix) and graph != str(INFERRED_VOCABULARY_GRAPH):
        return ID["policy/" + graph.removeprefix(prefix)]
    return None


def version_graph_iri(version: URIRef | str) -> URIRef:
    """The named graph keeping the asserted triples of an earlier version of a policy:
    ``{policy}/version/{date}`` -> ``.../graph/version/{payer}/{number}/{date}``."""
    policy, _, name = str(version).rpartition("/version/")
    if not policy.startswith(str(ID) + "policy/") or not name or "/" in name:
        raise ValueError(f"not a policy version IRI: {version}")
    return URIRef(f"{VERSION_GRAPH_PREFIX}{policy.removeprefix(str(ID) + 'policy/')}/{name}")


def version_of_graph(graph: str) -> URIRef | None:
    """The version IRI a version graph IRI keeps (the inverse of :func:`version_graph_iri`), else ``None``."""
    if not graph.startswith(VERSION_GRAPH_PREFIX):
        return None
    policy, _, name = graph.removeprefix(VERSION_GRAPH_PREFIX).rpartition("/")
    return ID[f"policy/{policy}/version/{name}"] if policy and name else None


def policy_of_version(version: URIRef | str) -> URIRef | None:
    """The policy (the work) of a version IRI ``{policy}/version/{name}``, else ``None``."""
    policy, _, name = str(version).rpartition("/version/")
    return URIRef(policy) if policy.startswith(str(ID) + "policy/") and name and "/" not in name else None


def code_iri(system: str, code: str) -> URIRef:
    """A billing code is one resource across policies: ``.../id/code/{system}/{code}``."""
    return ID[f"code/{slug(system)}/{code.strip().upper()}"]


def code_system_iri(system: str) -> URIRef:
    return CS[slug(system)]


def disease_iri(disease_slug: str) -> URIRef:
    return DIS[disease_slug]


def status_iri(status_slug: str) -> URIRef:
    return STATUS[status_slug]


def setting_iri(setting_slug: str) -> URIRef:
    return SETTING[setting_slug]


def topic_iri(topic_slug: str) -> URIRef:
    return TOPIC[topic_slug]


def local_name(iri: str) -> str:
    """The last path segment (or fragment) of an IRI: the slug of a vocabulary concept."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
