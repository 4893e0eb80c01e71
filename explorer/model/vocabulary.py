"""The ontology plus the SKOS vocabularies as one graph, and label -> concept lookups for the model."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from explorer.model.iris import PAYER, PREFIXES, PROD, STATUS, VOCAB, slug
from explorer.resources import ontology_dir, vocab_dir
from explorer.vocab import load_lexicon, read_turtle


def load_vocabulary_graph(ontology: Path | None = None, vocabularies: Path | None = None) -> Graph:
    """``ontology/policy.ttl`` and every ``data/vocab/*.ttl`` in one graph (a fresh copy each call)."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    files = [Path(ontology or ontology_dir()) / "policy.ttl", *sorted(Path(vocabularies or vocab_dir()).glob("*.ttl"))]
    for path in files:
        read_turtle(path, graph)
    return graph


def load_imports_graph(ontology: Path | None = None) -> Graph:
    """The bundled axiom subsets of the reused standards (``ontology/imports/*.ttl``: PROV-O, SKOS,
    Web Annotation, DCMI terms, BIBO/FaBiO/CiTO), for consistency checks and self-contained exports;
    not part of the reasoner's vocabulary closure."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for path in sorted((Path(ontology or ontology_dir()) / "imports").glob("*.ttl")):
        read_turtle(path, graph)
    return graph


def load_alignments_graph(ontology: Path | None = None) -> Graph:
    """``ontology/alignments.ttl``: SKOS mappings to FHIR, Da Vinci CRD, schema.org and FHIR code
    system URIs, for export and browsing; never part of the reasoner's closure."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return read_turtle(Path(ontology or ontology_dir()) / "alignments.ttl", graph, what="alignments file")


@cache
def payer_slug(payer: str) -> str:
    """The vocabulary slug of a payer given by label (``bcbsma``), else the label slugged."""
    term = load_lexicon().payers.lookup(payer)
    return term.slug if term else slug(payer)


def payer_iri(payer: str) -> URIRef:
    return PAYER[payer_slug(payer)]


@cache
def product_iri(label: str) -> URIRef:
    """The plan product concept for a label or printed spelling; unknown products are slugged."""
    term = load_lexicon().products.lookup(label)
    return PROD[term.slug if term else slug(label)]


def coverage_effect(status: str) -> str | None:
    """The Da Vinci CRD coverage effect (``covered``, ``not-covered``) a status slug means, from the
    data (``skos:broadMatch`` in ``data/vocab/statuses.ttl`` to ``coverage-effects.ttl``); None
    for a status the vocabulary does not map."""
    return coverage_effects().get(status)


@cache
def coverage_effects() -> dict[str, str]:
    """Every status slug's coverage effect, read once from the two vocabulary files that state them."""
    graph = Graph()
    for name in ("statuses.ttl", "coverage-effects.ttl"):
        read_turtle(Path(vocab_dir()) / name, graph)
    out: dict[str, str] = {}
    for status, effect in graph.subject_objects(SKOS.broadMatch):
        if str(status).startswith(str(STATUS)) and (effect, SKOS.inScheme, VOCAB["coverage-effects"]) in graph:
            out[str(status)[len(str(STATUS)):]] = str(graph.value(effect, SKOS.notation))
    return out
