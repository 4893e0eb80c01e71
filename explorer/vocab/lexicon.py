"""Controlled terms the parser recognises, loaded from the SKOS vocabularies in ``data/vocab``.

A :class:`Term` is a vocabulary concept: its slug (the IRI's local name), preferred label and
every other label (altLabel, hiddenLabel) text may use for it.  :meth:`Lexicon.find` locates terms
in text, longest label first, on word boundaries, ignoring case and punctuation between words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from explorer.errors import VocabularyError


@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    notation: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class Match:
    term: Term
    start: int
    end: int


@dataclass(frozen=True)
class TermIndex:
    """Terms of one kind with a matcher over all their labels (compiled at the first :meth:`find`:
    a coverage question mostly looks labels up, and compiling every kind's took 50 ms)."""

    terms: tuple[Term, ...]
    _source: str | None = field(default=None, compare=False, repr=False)
    _by_key: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, terms: tuple[Term, ...]) -> TermIndex:
        by_key: dict[str, Term] = {}
        for term in terms:
            for label in term.labels:
                by_key.setdefault(label_key(label), term)
        keys = sorted(by_key, key=len, reverse=True)
        alternatives = [r"[\s,;/\-]+".join(re.escape(w) for w in key.split(" ")) for key in keys if key]
        source = r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?!\w)" if alternatives else None
        return cls(terms, source, by_key)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        return None if self._source is None else re.compile(self._source, re.IGNORECASE)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping mentions of these terms in ``text``, longest first at each position."""
        pattern = self._pattern
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(text):
            term = self._by_key.get(label_key(m.group()))
            if term is not None:
                out.append(Match(term, m.start(), m.end()))
        return out

    def lookup(self, label: str) -> Term | None:
        """The term with exactly this label (ignoring case and punctuation), if any."""
        return self._by_key.get(label_key(label))

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)


def slug(text: str) -> str:
    """Lower-case kebab case: ``"Medicare PPO Blue"`` -> ``"medicare-ppo-blue"`` (vocabulary slugs,
    IRI path segments, keys made from titles)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


def label_key(label: str) -> str:
    """Case- and punctuation-insensitive key: ``"PPO, and Indemnity"`` -> ``"ppo and indemnity"``."""
    return " ".join(re.split(r"[\s,;/\-]+", label.lower())).strip()


@dataclass(frozen=True)
class Lexicon:
    products: TermIndex
    diseases: TermIndex
    topics: TermIndex
    statuses: TermIndex
    settings: TermIndex
    payers: TermIndex
    lines_of_business: TermIndex


_SCHEMES = {
    "products": "products.ttl",
    "diseases": "diseases.ttl",
    "topics": "topics.ttl",
    "statuses": "statuses.ttl",
    "settings": "settings.ttl",
    "payers": "payers.ttl",
    "lines_of_business": "lines-of-business.ttl",
}


def load_lexicon(vocab_dir: Path | None = None) -> Lexicon:
    """Read the SKOS vocabularies (cached per folder)."""
    from explorer.resources import vocab_dir as default_vocab_dir

    return _load(Path(vocab_dir or default_vocab_dir()).resolve())


@cache
def _load(folder: Path) -> Lexicon:
    from explorer.vocab.disk_cache import cached

    return cached("lexicon", [folder / name for name in _SCHEMES.values()], __name__, lambda: _read(folder))


def _read(folder: Path) -> Lexicon:
    from rdflib.namespace import RDF, SKOS
    from rdflib.term import IdentifiedNode

    from explorer.vocab.turtle import read_turtle

    indexes: dict[str, TermIndex] = {}
    for kind, filename in _SCHEMES.items():
        path = folder / filename
        graph = read_turtle(path)
        terms = []
        concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, IdentifiedNode)}
        for concept in sorted(concepts):
            iri = str(concept)
            slug = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            pref = graph.value(concept, SKOS.prefLabel)
            if pref is None:
                raise VocabularyError(f"{path}: {iri} has no skos:prefLabel")
            others = sorted(
                {str(o) for p in (SKOS.altLabel, SKOS.hiddenLabel) for o in graph.objects(concept, p)}
            )
            broader = sorted(
                str(b).rstrip("/").rsplit("/", 1)[-1] for b in graph.objects(concept, SKOS.broader)
            )
            notation = graph.value(concept, SKOS.notation)
            terms.append(
                Term(slug, str(pref), tuple(others), tuple(broader), None if notation is None else str(notation))
            )
        indexes[kind] = TermIndex.of(tuple(terms))
    return Lexicon(**indexes)
