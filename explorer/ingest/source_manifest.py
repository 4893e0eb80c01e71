"""Where a document came from, when a ``SOURCES.json`` beside it says so.

A folder of policies fetched from payers' sites can carry a manifest (the bundled
``data/policies/SOURCES.json`` is one): a JSON list of ``{"file": name, "url": ..., "fetched":
ISO date or date-time, "file_sha256": hex of the file's bytes}``. A document's entry is the one
naming its file; when the entry gives a hash, it must be this file's, or the entry is about
another copy and is not used. A manifest that cannot be read gives a warning, never an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MANIFEST = "SOURCES.json"
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_WHEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?")


@dataclass(frozen=True)
class Source:
    """The URL a document was fetched from and when (either may be unknown)."""

    url: str | None
    retrieved: str | None


def source_of(path: Path, file_sha256: str | None) -> tuple[Source | None, str | None]:
    """(the manifest's entry for ``path``, a warning if the manifest beside it cannot be read)."""
    manifest = path.parent / MANIFEST
    try:
        stat = manifest.stat()
    except OSError:
        return None, None
    entries, problem = _entries(str(manifest), stat.st_mtime_ns, stat.st_size)
    if problem:
        return None, f"{manifest.name} beside the document is not a list of sources ({problem}); ignored"
    entry = entries.get(path.name)
    if entry is None:
        return None, None
    expected = entry.get("file_sha256")
    if isinstance(expected, str) and file_sha256 and expected.lower() != file_sha256:
        return None, None  # the manifest describes another copy of a file with this name
    url, when = entry.get("url"), entry.get("fetched")
    source = Source(url if isinstance(url, str) and _URL.fullmatch(url) else None,
                    _to_the_second(when) if isinstance(when, str) and _WHEN.fullmatch(when) else None)
    return (source if source.url or source.retrieved else None), None


def _to_the_second(when: str) -> str:
    """A date-time to the second, UTC written ``+00:00`` (``...T18:39:58.900Z`` ->
    ``...T18:39:58+00:00``): the form rdflib reads back from every store."""
    when = re.sub(r"(T\d{2}:\d{2}:\d{2})\.\d+", r"\1", when)
    return when[:-1] + "+00:00" if when.endswith("Z") else when


@lru_cache(maxsize=16)
def _entries(manifest: str, mtime_ns: int, size: int) -> tuple[dict[str, dict[str, object]], str | None]:
    """The manifest's entries by file name (cached while the file is unchanged)."""
    del mtime_ns, size  # part of the cache key only
    try:
        data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot read it: {exc}"
    except json.JSONDecodeError as exc:
        return {}, f"not JSON: line {exc.lineno}"
    if not isinstance(data, list):
        return {}, "not a JSON list"
    return {e["file"]: e for e in data if isinstance(e, dict) and isinstance(e.get("file"), str)}, None
