"""Which stored policy a user means by a name they typed: its IRI, its number as printed, or
``payer/number`` when two payers use the same number. Pure: it only reads the summaries given."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from explorer.model.iris import payer_of_policy


class Named(Protocol):
    """A stored policy's summary as far as naming goes (read-only, as ``PolicySummary`` is)."""

    @property
    def iri(self) -> str: ...

    @property
    def payer(self) -> str: ...

    @property
    def number(self) -> str: ...


def _key(text: str) -> str:
    """The number without case, spaces, hyphens, dots or underscores: ``CAM-273`` = ``cam 273``."""
    return re.sub(r"[\s\-_.]+", "", text).casefold()


def _payer_key(policy: Named) -> set[str]:
    """Names a user may give the payer by: its name, and the payer part of its IRI."""
    return {_key(policy.payer), _key(payer_of_policy(policy.iri))}


def match_policies(policies: Sequence[Named], name: str) -> list[Named]:
    """The policies ``name`` can mean: an exact IRI or number first; else the number compared
    without case or separators; ``payer/number`` (payer by name or IRI slug) narrows to one payer."""
    exact = [p for p in policies if name in (p.iri, p.number)]
    if exact:
        return exact
    payer, _, number = name.rpartition("/") if "/" in name and "://" not in name else ("", "", name)
    wanted = _key(number)
    found = [p for p in policies if _key(p.number) == wanted]
    if payer:
        found = [p for p in found if _key(payer) in _payer_key(p)]
    return found
