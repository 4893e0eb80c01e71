"""Map an ICD-10-CM code to the disease taxonomy in ``data/vocab/diseases.ttl``.

Each disease links (``pol:hasCodeRange``) to structured ``pol:CodeRange`` nodes: a first and last
code at one level (categories ``C81``-``C96`` or subcategories ``D47.3``-``D47.4``; a single code is
a range of one), its code system, and the ranges it excludes. A code is in a range when its first
characters at the range's level lie between the first and last code (ICD-10-CM orders codes as
strings within a level) and it is in none of the excluded ranges. A code maps to the most specific
matching diseases: every match that is broader (``rdfs:subClassOf`` / ``skos:broader``,
transitively) than another match is dropped. Read with the rdflib graph API; no SPARQL.
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
ICD10CM = URIRef("https://w3id.org/policy-explorer/vocab/code-system/icd-10-cm")

_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


@dataclass(frozen=True)
class CodeRange:
    """An inclusive range ``first``-``last`` of ICD-10-CM codes at one level, minus ``excluded``."""

    first: str
    last: str
    excluded: tuple[CodeRange, ...] = ()
    iri: str | None = None

    def __post_init__(self) -> None:
        for code in (self.first, self.last):
            if not _CODE.match(code):
                raise VocabularyError(f"malformed ICD-10-CM code {code!r} in a code range (want 'C92' or 'C92.1')")
        if len(self.first) != len(self.last) or self.first[:3] != self.last[:3] and len(self.first) > 3:
            raise VocabularyError(f"code range {self.first}-{self.last}: first and last code are not at one level")
        if self.first > self.last:
            raise VocabularyError(f"code range {self.first}-{self.last} runs backwards")

    @classmethod
    def parse(cls, text: str) -> CodeRange:
        """``"C81-C96"`` or ``"C92.1"`` (a range of one code); for tests and messages."""
        first, dash, last = text.strip().upper().partition("-")
        return cls(first, last if dash else first)

    def matches(self, code: str) -> bool:
        """Whether the dotted, upper-case ``code`` is in this range (and in no excluded range)."""
        head = code[: len(self.first)]
        if len(head) < len(self.first) or not self.first <= head <= self.last:
            return False
        return not any(x.matches(code) for x in self.excluded)

    def __str__(self) -> str:
        text = self.first if self.first == self.last else f"{self.first}-{self.last}"
        return text + "".join(f" not {x}" for x in self.excluded)


@dataclass(frozen=True)
class Disease:
    slug: str
    label: str
    rules: tuple[CodeRange, ...]
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
    from explorer.vocab.disk_cache import cached

    return cached("diseases", [folder / "diseases.ttl"], __name__, lambda: _read(folder))


def _read(folder: Path) -> DiseaseTaxonomy:
    from explorer.vocab import read_turtle

    path = folder / "diseases.ttl"
    graph = read_turtle(path)
    concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}
    concepts |= {c for c in graph.subjects(POL.hasCodeRange, None) if isinstance(c, URIRef)}
    diseases: dict[str, Disease] = {}
    for concept in sorted(concepts):
        parents = {
            _slug(p)
            for prop in (RDFS.subClassOf, SKOS.broader)
            for p in graph.objects(concept, prop)
            if p in concepts
        }
        try:
            rules = tuple(sorted((_range(graph, r) for r in graph.objects(concept, POL.hasCodeRange)), key=str))
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


def _range(graph: Graph, node: Node, depth: int = 0) -> CodeRange:
    """The ``pol:CodeRange`` at ``node`` with its exclusions (ICD-10-CM only)."""
    if depth > 4:
        raise VocabularyError(f"code range {node}: exclusions nested too deep (a cycle?)")
    first, last = graph.value(node, POL.firstCode), graph.value(node, POL.lastCode)
    system = graph.value(node, POL.inCodeSystem)
    if first is None or last is None:
        raise VocabularyError(f"code range {node}: needs pol:firstCode and pol:lastCode")
    if system != ICD10CM:
        raise VocabularyError(f"code range {node}: pol:inCodeSystem must be ICD-10-CM, not {system}")
    excluded = tuple(sorted((_range(graph, x, depth + 1) for x in graph.objects(node, POL.excludesRange)), key=str))
    return CodeRange(str(first).strip().upper(), str(last).strip().upper(), excluded, str(node))


CodeRule = CodeRange  # the name before ranges were structured (explorer.diagnoses.search uses it)
