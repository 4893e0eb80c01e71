"""Gold files of the fidelity benchmark: the JSON format (``tests/fixtures/gold/README.md``) read
into plain data, with a clear :class:`GoldFormatError` naming the file for anything malformed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.errors import ExplorerError


class GoldFormatError(ExplorerError):
    """A gold file (or folder) cannot be read, or is not JSON of the documented shape."""


# --- gold -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldStatement:
    status: str
    quote: str


@dataclass(frozen=True)
class Gold:
    """One gold file: what a careful reader finds in one document. ``None`` = not given (not scored);
    an identifier or title of ``""`` (null in the file) = the document prints none."""

    file: str
    identifier: str | None = None
    payer: str | None = None
    title: str | None = None
    statements: tuple[GoldStatement, ...] | None = None
    codes: tuple[tuple[str, str], ...] | None = None
    pmids: tuple[str, ...] | None = None
    reference_count: int | None = None
    newest_history_date: str | None = None
    source: str = ""


def _opt_str(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise GoldFormatError(f"{where}: {key!r} must be a string or null")
    return value


def _printed(data: dict[str, Any], key: str, where: str) -> str | None:
    """A value the document prints: ``None`` when the gold does not say, ``""`` when it says null (none)."""
    value = _opt_str(data, key, where)
    return "" if value is None and key in data else value


def _list(data: dict[str, Any], key: str, where: str) -> list[Any] | None:
    value = data.get(key)
    if value is not None and not isinstance(value, list):
        raise GoldFormatError(f"{where}: {key!r} must be a list")
    return value


def gold_from_json(data: Any, source: str = "<gold>") -> Gold:
    """A :class:`Gold` from a parsed gold file; raises :class:`GoldFormatError` naming ``source``."""
    if not isinstance(data, dict):
        raise GoldFormatError(f"{source}: not a JSON object")
    file = data.get("file")
    if not isinstance(file, str) or not file.strip():
        raise GoldFormatError(f"{source}: 'file' (the document's file name) is missing")
    statements = None
    if (raw := _list(data, "statements", source)) is not None:
        items = []
        for i, s in enumerate(raw, 1):
            if not (isinstance(s, dict) and isinstance(s.get("status"), str) and isinstance(s.get("quote"), str)):
                raise GoldFormatError(f"{source}: statement {i} needs string 'status' and 'quote'")
            items.append(GoldStatement(s["status"].strip(), s["quote"]))
        statements = tuple(items)
    codes = None
    if (raw := _list(data, "codes", source)) is not None:
        pairs = []
        for i, c in enumerate(raw, 1):
            if not (isinstance(c, dict) and isinstance(c.get("system"), str) and isinstance(c.get("code"), str)):
                raise GoldFormatError(f"{source}: code {i} needs string 'system' and 'code'")
            pairs.append((c["system"], c["code"]))
        codes = tuple(pairs)
    pmids = None
    if (raw := _list(data, "pmids", source)) is not None:
        if not all(isinstance(p, str | int) and not isinstance(p, bool) for p in raw):
            raise GoldFormatError(f"{source}: 'pmids' must be strings")
        pmids = tuple(str(p) for p in raw)
    count = data.get("reference_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        raise GoldFormatError(f"{source}: 'reference_count' must be a non-negative integer or null")
    return Gold(
        file=file.strip(),
        identifier=_printed(data, "identifier", source),
        payer=_opt_str(data, "payer", source),
        title=_printed(data, "title", source),
        statements=statements,
        codes=codes,
        pmids=pmids,
        reference_count=count,
        newest_history_date=_opt_str(data, "newest_history_date", source),
        source=source,
    )
