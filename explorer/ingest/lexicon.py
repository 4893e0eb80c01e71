"""Controlled terms the parser recognises, loaded from the SKOS vocabularies in ``data/vocab``.

A :class:`Term` is a vocabulary concept: its slug (the IRI's local name), preferred label and
every other label (altLabel, hiddenLabel) text may use for it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    products: tuple[Term, ...]
    diseases: tuple[Term, ...]
    topics: tuple[Term, ...]
    statuses: tuple[Term, ...]
    settings: tuple[Term, ...]
    payers: tuple[Term, ...] = ()
