"""Plain text and Markdown: strict UTF-8, kept verbatim (CRLF included); a BOM is not text."""

from __future__ import annotations

from explorer.errors import PolicyParseError

_BOM = b"\xef\xbb\xbf"


def decode_utf8(data: bytes, name: str, *, skip: int = 0, what: str = "UTF-8 text") -> str:
    """Strict UTF-8 of ``data[skip:]``; an error names the line and the byte offset in the file."""
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        raise PolicyParseError(
            f"not {what} (byte 0x{data[at]:02x} at offset {at})", path=name, line=data[:at].count(b"\n") + 1
        ) from exc


def plain_text(data: bytes, name: str) -> str:
    """The text of record of a ``.txt``/``.md`` file: its characters, minus a leading BOM."""
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise PolicyParseError(
            f"binary data (NUL byte at offset {at}), not a text document", path=name,
            line=data[:at].count(b"\n") + 1,
        )
    return decode_utf8(data, name, skip=len(_BOM) if data.startswith(_BOM) else 0)
