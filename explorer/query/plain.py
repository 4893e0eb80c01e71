"""SELECT rows kept as the engine's own terms (pyoxigraph), converted to rdflib only when asked.

Converting every cell to an rdflib term cost ~12 us a cell (a 15,000-row ``references`` at 1,000
policies: over 2 s); JSON, CSV and table output read the engine's terms directly (issue 15 item 3).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import pyoxigraph as ox
from rdflib.term import Node

from explorer.store.terms import from_ox

OxCell = ox.NamedNode | ox.BlankNode | ox.Literal | None
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class PlainRows(Sequence[tuple[Node | None, ...]]):
    """Rows of pyoxigraph terms that read as rows of rdflib terms (converted on first access)."""

    def __init__(self, raw: Sequence[tuple[OxCell, ...]]) -> None:
        self.raw = tuple(raw)
        self._converted: tuple[tuple[Node | None, ...], ...] | None = None

    def _rows(self) -> tuple[tuple[Node | None, ...], ...]:
        if self._converted is None:
            self._converted = tuple(tuple(None if t is None else from_ox(t) for t in row) for row in self.raw)
        return self._converted

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, index: int) -> tuple[Node | None, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[Node | None, ...]]: ...
    def __getitem__(self, index: Any) -> Any:
        return self._rows()[index]

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self._rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlainRows):
            return self.raw == other.raw
        return isinstance(other, tuple | list) and tuple(self._rows()) == tuple(other)

    def __hash__(self) -> int:
        return hash(self.raw)

    def __repr__(self) -> str:
        return f"PlainRows({len(self.raw)} rows)"


def plain_cell(term: OxCell) -> str:
    """A term as plain text, as ``formats.cell`` gives it: IRI, lexical form, ``_:id``, "" if unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def is_iri(term: OxCell) -> bool:
    return isinstance(term, ox.NamedNode)


def plain_json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    """A term in SPARQL 1.1 Results JSON (plain strings carry no datatype, as rdflib writes them)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out
