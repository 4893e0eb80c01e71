"""Check ICD-10-CM codes and place them in the official hierarchy.

Backed by the ``simple-icd-10-cm`` package, which bundles the official release and works offline,
read through a precomputed table (:mod:`explorer.diagnoses.icd_table`): importing the package costs
2.6-8 s, a lookup in the table microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.diagnoses.icd_table import IcdTable, icd_table
from explorer.errors import DiagnosisError

_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
_CPT = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU])$")
_HCPCS = re.compile(r"^[A-V][0-9]{4}$")


@dataclass(frozen=True)
class OfficialCode:
    """A valid ICD-10-CM category, subcategory or extended code as the official release has it."""

    code: str
    description: str
    billable: bool
    chapter_path: tuple[str, ...]


def icd() -> IcdTable:
    """``simple_icd_10_cm``'s answers (the functions the explorer uses), from the cached table."""
    return icd_table()


def normalise(code: str) -> str:
    """Upper-case, trim and put the dot after the category: ``" c9210 "`` -> ``"C92.10"``.

    Only the spelling is normalised; validity is checked by :func:`check_code`.
    """
    raw = code.strip().upper()
    if raw.count(".") > 1 or ("." in raw and raw.find(".") != 3):
        return raw
    nodot = raw.replace(".", "")
    if len(nodot) <= 3 or not nodot.isalnum():
        return nodot
    return f"{nodot[:3]}.{nodot[3:]}"


def check_code(code: str) -> OfficialCode:
    """The official entry for ``code`` (any case, with or without the dot).

    :raises DiagnosisError: the code is not an ICD-10-CM category, subcategory or code.
    """
    dotted = normalise(code)
    lib = icd()
    if not _SHAPE.match(dotted) or not lib.is_valid_item(dotted):
        raise DiagnosisError(_invalid_message(code))
    if not (lib.is_category_or_subcategory(dotted) or lib.is_extended_subcategory(dotted)):
        raise DiagnosisError(_invalid_message(code))
    return OfficialCode(
        code=dotted,
        description=lib.get_description(dotted),
        billable=bool(lib.is_leaf(dotted)),
        chapter_path=tuple(reversed(lib.get_ancestors(dotted))),
    )


def _invalid_message(code: str) -> str:
    shown = code.strip()
    message = f"{shown!r} is not a valid ICD-10-CM code"
    upper = shown.upper()
    if _CPT.match(upper):
        message += "; it looks like a CPT procedure code, not a diagnosis code"
    elif _HCPCS.match(upper):
        message += "; it looks like a HCPCS procedure code, not a diagnosis code"
    elif not shown:
        message = "an empty string is not a valid ICD-10-CM code"
    elif upper and icd().is_valid_item(upper) and not _SHAPE.match(upper):
        message += "; it names an ICD-10-CM chapter or block, not a diagnosis code"
    return message


def is_valid_code(code: str) -> bool:
    """Whether ``code`` (any spelling) is an ICD-10-CM category, subcategory or code."""
    try:
        check_code(code)
    except DiagnosisError:
        return False
    return True
