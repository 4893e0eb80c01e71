"""The policies that list a code: as printed, or inside a range they print (``81162-81167``,
``C18-C21``; members from :mod:`explorer.ingest.code_ranges`, computed here, never stored)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rdflib import Literal

from explorer.ingest.code_ranges import in_range

Select = Callable[[str, dict[str, Any]], Sequence[Any]]


class RangeMatch(NamedTuple):
    """A policy listing ``range``, which holds the code asked about (the columns of
    ``coverage-policies-for-code`` the coverage check reads)."""

    policy: Any
    number: Any
    title: Any
    system: str
    description: None
    range: str


def policies_for_code(select: Select, code: str) -> list[Any]:
    """Rows of the policies listing ``code`` itself, then of those listing a range holding it."""
    exact = list(select("coverage-policies-for-code", {"code": Literal(code)}))
    seen = {str(r.policy) for r in exact}
    out: list[Any] = list(exact)
    for r in select("coverage-policies-listing-ranges", {}):
        system = str(r.system).upper()
        if str(r.policy) not in seen and in_range(system, code, str(r.range)):
            seen.add(str(r.policy))
            out.append(RangeMatch(r.policy, r.number, r.title, system, None, str(r.range)))
    return out
