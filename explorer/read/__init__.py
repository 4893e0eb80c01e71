"""Readers for what payers publish: a file (.txt .md .pdf .html) -> its text of record.

The text of record is what the parser reads and what every span indexes into; it is kept
verbatim in the graph. :func:`read_document` is the one I/O entry; everything else is pure.
"""

from __future__ import annotations

from explorer.read.document import (
    DOCUMENT_SUFFIXES,
    MAX_DOCUMENT_BYTES,
    MEDIA_TYPES,
    SourceDocument,
    detect_media_type,
    read_bytes,
    read_document,
)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "MEDIA_TYPES",
    "SourceDocument",
    "detect_media_type",
    "read_bytes",
    "read_document",
]
