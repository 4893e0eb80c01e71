"""Code ranges as policies print them (``81162-81167``, ``S3800-S3870``, ``C81.00-C96.9``):
which codes they hold, and their members where the code system allows listing them.

A range stays one code of the policy, as printed (``Code.code``); nothing is stored per member.
Membership is computed when asked (the coverage lookup: a code inside a listed range counts as
listed):

- CPT and HCPCS: the codes with the same shape (``0002M-0010M``: four digits and an M) whose
  number lies between the bounds, when the range has at most :data:`MAX_MEMBERS` members. A longer
  range is kept only as printed: ``81200-88291`` (BCBSM, most likely a typo) would otherwise make
  the policy list 7,092 codes.
- ICD-10-CM: the codes of simple-icd-10-cm's official tabular order from the first bound to the
  last bound's last descendant (``C18-C21`` holds C18, C18.0 ... C21.8), only codes that exist.
"""

from __future__ import annotations

import re
from functools import cache

MAX_MEMBERS = 200
_NUMERIC = re.compile(r"(?P<head>[A-Z]?)(?P<digits>\d{4,5})(?P<tail>[A-Z]?)")


def bounds(code: str) -> tuple[str, str] | None:
    """``("81162", "81167")`` for a printed range, None for a single code."""
    first, dash, last = code.strip().upper().partition("-")
    return (first, last) if dash and first and last else None


def expand_range(system: str, code: str) -> tuple[str, ...] | None:
    """The member codes of a printed range, or None when it is not a range the code system lets us
    expand (a single code, bounds of different shapes, a CPT/HCPCS range of more than
    :data:`MAX_MEMBERS` codes, an ICD-10-CM bound that does not exist)."""
    found = bounds(code)
    if found is None:
        return None
    if system in ("CPT", "HCPCS"):
        return _numeric(*found)
    if system == "ICD-10-CM":
        return _icd(*found)
    return None


def in_range(system: str, code: str, printed: str) -> bool:
    """Whether ``code`` is one of the members of the printed range ``printed`` of ``system``."""
    members = expand_range(system, printed)
    if members is None:
        return False
    wanted = code.strip().upper()
    if system == "ICD-10-CM":
        from explorer.diagnoses.icd10cm import normalise

        wanted = normalise(wanted)
    return wanted in _as_set(system, printed)


@cache
def _as_set(system: str, printed: str) -> frozenset[str]:
    return frozenset(expand_range(system, printed) or ())


def _numeric(first: str, last: str) -> tuple[str, ...] | None:
    a, b = _NUMERIC.fullmatch(first), _NUMERIC.fullmatch(last)
    if a is None or b is None or (a["head"], a["tail"], len(a["digits"])) != (b["head"], b["tail"], len(b["digits"])):
        return None
    low, high = int(a["digits"]), int(b["digits"])
    if not 0 <= high - low < MAX_MEMBERS:
        return None
    width = len(a["digits"])
    return tuple(f"{a['head']}{n:0{width}d}{a['tail']}" for n in range(low, high + 1))


@cache
def _icd(first: str, last: str) -> tuple[str, ...] | None:
    from explorer.diagnoses.icd10cm import icd, normalise

    lib = icd()
    first, last = normalise(first), normalise(last)
    if not (lib.is_valid_item(first) and lib.is_valid_item(last)):
        return None
    start = lib.get_index(first)
    end = max([lib.get_index(last), *(lib.get_index(d) for d in lib.get_descendants(last))])
    if end < start:
        return None
    # one query, where reading every code (0.2 s) and each one's flags (0.13 s) made the first
    # coverage question on the real corpus wait a third of a second
    return tuple(lib.codes_between(start, end))
