"""Content keys made unique within one policy: the one rule every fact IRI family shares."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Each key, in order; a key seen before gets ``-2``, ``-3`` ... so two facts with the same
    content (a sentence printed twice) still get distinct keys."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key + (f"-{seen[key]}" if seen[key] > 1 else ""))
    return out


def keyed(base: str, keys: Iterable[str]) -> list[URIRef]:
    """``{base}/{key}`` for each of :func:`unique_keys`."""
    return [URIRef(f"{base}/{key}") for key in unique_keys(keys)]
