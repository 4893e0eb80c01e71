"""The source document: detect its format, turn its bytes into the text of record, hash both."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePath

from explorer.errors import PolicyParseError

MAX_DOCUMENT_BYTES = 5_000_000
"""Published policies are well under 1 MB as text and a few MB as PDF; anything larger is refused."""

MEDIA_TYPES: dict[str, str] = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".htm": "text/html",
}
"""File suffix -> media type, for files whose content does not say (plain text)."""

DOCUMENT_SUFFIXES = tuple(MEDIA_TYPES)


@dataclass(frozen=True)
class SourceDocument:
    """A document read from a file or bytes: its text of record and where it came from."""

    text: str
    """The text of record: what the parser reads; every span indexes into it."""
    name: str
    """The file's name (no directory: never an absolute path)."""
    media_type: str
    """``text/plain`` | ``text/markdown`` | ``application/pdf`` | ``text/html``."""
    original_sha256: str
    """SHA-256 of the original file's bytes."""
    sha256: str
    """SHA-256 of ``text.encode("utf-8")``."""
    damage: str | None = None
    """Set when the file is damaged and the text is only what could be salvaged (say so to users)."""


def detect_media_type(data: bytes, name: str) -> str:
    """By content first (PDF magic, an HTML start tag near the top), then by the name's suffix."""
    head = data[:1024]
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "application/pdf"
    lowered = head.lower()
    if b"<!doctype html" in lowered or b"<html" in lowered:
        return "text/html"
    suffix = PurePath(name).suffix.lower()
    if suffix in MEDIA_TYPES:
        return MEDIA_TYPES[suffix]
    return "text/plain"


def read_bytes(data: bytes, name: str, media_type: str | None = None) -> SourceDocument:
    """The text of record of a document given as bytes; ``name`` is used for messages and kept.

    :raises PolicyParseError: empty, too large, not UTF-8 (with the byte offset), binary, an
        encrypted or corrupt PDF, an HTML page with no text.
    """
    name = PurePath(name).name or name
    if len(data) > MAX_DOCUMENT_BYTES:
        raise PolicyParseError(f"document is over {MAX_DOCUMENT_BYTES:,} bytes (the limit)", path=name)
    if not data.strip():
        raise PolicyParseError("empty document", path=name, line=1)
    media_type = media_type or detect_media_type(data, name)
    damage = None
    if media_type == "application/pdf":
        from explorer.read.pdf import MANGLED_WARNING, is_mangled, pdf_text, salvage_metadata

        if is_mangled(data) and (salvaged := salvage_metadata(data)):
            text, damage = salvaged, MANGLED_WARNING
        else:
            text = pdf_text(data, name)
    elif media_type == "text/html":
        from explorer.read.html import html_text

        text = html_text(data, name)
    elif media_type in ("text/plain", "text/markdown"):
        from explorer.read.text import plain_text

        text = plain_text(data, name)
    else:
        known = ", ".join(sorted(set(MEDIA_TYPES.values())))
        raise PolicyParseError(f"unsupported media type {media_type!r} (known: {known})", path=name)
    if not text.strip():
        raise PolicyParseError(f"no text in the document ({media_type})", path=name)
    return SourceDocument(
        text=text,
        name=name,
        media_type=media_type,
        original_sha256=hashlib.sha256(data).hexdigest(),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        damage=damage,
    )


def read_document(path: str | Path) -> SourceDocument:
    """Read a file (at most :data:`MAX_DOCUMENT_BYTES` + 1 bytes, so a device or FIFO cannot make
    it read forever) and return its text of record. Errors name the path as given."""
    path = Path(path)
    try:
        if path.is_dir():
            raise PolicyParseError("is a folder, not a document", path=str(path))
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise PolicyParseError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    if len(data) > MAX_DOCUMENT_BYTES:
        raise PolicyParseError(f"document is over {MAX_DOCUMENT_BYTES:,} bytes (the limit)", path=str(path), line=1)
    try:
        return read_bytes(data, path.name)
    except PolicyParseError as exc:  # name the path as the user gave it, not only the file name
        raise PolicyParseError(exc.reason, path=str(path), line=exc.line, section=exc.section) from exc.__cause__
