"""Map an ICD-10-CM code to the disease taxonomy in ``data/vocab/diseases.ttl``.

Each disease carries ``pol:icd10cmCode`` literals: a category or subcategory (``"C92.1"``, matched
as a prefix of the code) or an inclusive range of categories (``"C81-C96"``, matched on the code's
first three characters). A code maps to the most specific matching diseases: every match that is
broader (``rdfs:subClassOf`` / ``skos:broader``, transitively) than another match is dropped.
Read with the rdflib graph API; no SPARQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Namespace, URIRef
from rdflib.term import Node

from explorer.errors import VocabularyError

POL = Namespace("https://w3id.org/policy-explorer/ontology#")
VOCAB = Namespace("https://w3id.org/policy-explorer/vocab/")

_CATEGORY = r"[A-Z][0-9][0-9A-Z]"
_PREFIX = re.compile(rf"^{_CATEGORY}(?:\.[0-9A-Z]{{1,4}})?$")
_RANGE = re.compile(rf"^({_CATEGORY})-({_CATEGORY})$")


@dataclass(frozen=True)
class CodeRule:
    """One ``pol:icd10cmCode`` literal: a prefix (``last`` is None) or a category range."""

    first: str
    last: str | None = None

    @classmethod
    def parse(cls, literal: str) -> CodeRule:
        text = literal.strip().upper()
        if m := _RANGE.match(text):
            if m.group(1) > m.group(2):
                raise VocabularyError(f"ICD-10-CM range {literal!r} runs backwards")
            return cls(m.group(1), m.group(2))
        if _PREFIX.match(text):
            return cls(text)
        raise VocabularyError(f"malformed pol:icd10cmCode {literal!r} (want 'C92.1' or 'C81-C96')")

    @property
    def is_range(self) -> bool:
        return self.last is not None

    def matches(self, code: str) -> bool:
        """Whether the dotted, upper-case ``code`` falls under this rule."""
        if self.last is not None:
            return self.first <= code[:3] <= self.last
        return code.replace(".", "").startswith(self.first.replace(".", ""))


@dataclass(frozen=True)
class Disease:
    slug: str
    label: str
    rules: tuple[CodeRule, ...]
    broader: tuple[str, ...]
    synonyms: tuple[str, ...] = ()  # skos:altLabel (and other labels), for search


@dataclass(frozen=True)
class DiseaseTaxonomy:
    """The diseases by slug, with their code rules and direct broader diseases."""

    diseases: dict[str, Disease]

    def ancestors(self, slug: str) -> tuple[str, ...]:
        """All broader diseases of ``slug``, nearest first (breadth-first, siblings by slug)."""
        return self.ancestors_of((slug,))

    def ancestors_of(self, slugs: tuple[str, ...]) -> tuple[str, ...]:
        """All broader diseases of any of ``slugs``, nearest first, without ``slugs`` themselves."""
        seen = set(slugs)
        out: list[str] = []
        level = list(slugs)
        while level:
            nxt: list[str] = []
            for slug in level:
                for parent in self.diseases[slug].broader:
                    if parent not in seen:
                        seen.add(parent)
                        nxt.append(parent)
            nxt.sort()
            out.extend(nxt)
            level = nxt
        return tuple(out)

    def matching(self, code: str) -> tuple[str, ...]:
        """Every disease with a code rule covering ``code`` (dotted, upper-case), by slug."""
        return tuple(sorted(d.slug for d in self.diseases.values() if any(r.matches(code) for r in d.rules)))

    def most_specific(self, code: str) -> tuple[str, ...]:
        """The matching diseases that are not broader than another match."""
        matches = self.matching(code)
        broader = {a for slug in matches for a in self.ancestors(slug)}
        return tuple(slug for slug in matches if slug not in broader)


def load_taxonomy(vocab_dir: Path | None = None) -> DiseaseTaxonomy:
    """The disease taxonomy from ``diseases.ttl`` in ``vocab_dir`` (cached per folder)."""
    from explorer.resources import vocab_dir as default_vocab_dir

    return _load(Path(vocab_dir or default_vocab_dir()).resolve())


def _slug(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@cache
def _load(folder: Path) -> DiseaseTaxonomy:
    path = folder / "diseases.ttl"
    if not path.is_file():
        raise VocabularyError(f"vocabulary file missing: {path}")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise VocabularyError(f"{path}: cannot parse vocabulary: {exc}") from exc
    concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}
    concepts |= {c for c in graph.subjects(POL.icd10cmCode, None) if isinstance(c, URIRef)}
    diseases: dict[str, Disease] = {}
    for concept in sorted(concepts):
        parents = {
            _slug(p)
            for prop in (RDFS.subClassOf, SKOS.broader)
            for p in graph.objects(concept, prop)
            if p in concepts
        }
        try:
            rules = tuple(
                CodeRule.parse(str(lit))
                for lit in sorted(str(o) for o in graph.objects(concept, POL.icd10cmCode))
            )
        except VocabularyError as exc:
            raise VocabularyError(f"{path}: {concept}: {exc}") from exc
        label = graph.value(concept, SKOS.prefLabel) or graph.value(concept, RDFS.label) or _slug(concept)
        slug = _slug(concept)
        synonyms = sorted(
            {str(o) for prop in (SKOS.altLabel, SKOS.prefLabel, RDFS.label) for o in graph.objects(concept, prop)}
            - {str(label)}
        )
        diseases[slug] = Disease(slug, str(label), rules, tuple(sorted(parents)), tuple(synonyms))
    taxonomy = DiseaseTaxonomy(diseases)
    for slug in diseases:
        direct = diseases[slug].broader
        if slug in direct or slug in taxonomy.ancestors_of(direct):
            raise VocabularyError(f"{path}: disease {slug!r} is broader than itself (a cycle)")
    return taxonomy
