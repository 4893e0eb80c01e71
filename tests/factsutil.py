"""Helpers for comparing facts: every span in a PolicyFacts, and facts with positions removed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from explorer.ingest.facts import PolicyFacts, Span

# Fields that depend on where the text sits in its rendering, not on what it says.
POSITIONAL = {"span", "sentence", "path", "sha256", "sections", "text", "source_name", "media_type", "original_sha256"}
KEEP_TEXT = {"Statement", "Reference", "EvidenceAssessment"}


def spans(obj: Any) -> Iterator[Span]:
    """Every Span inside a facts object."""
    if isinstance(obj, Span):
        yield obj
    elif isinstance(obj, tuple):
        for item in obj:
            yield from spans(item)
    elif is_dataclass(obj):
        for f in fields(obj):
            yield from spans(getattr(obj, f.name))


def content(obj: Any) -> Any:
    """A facts object as plain data, without offsets or rendering-specific fields."""
    if isinstance(obj, Span):
        return None
    if isinstance(obj, tuple):
        return tuple(content(x) for x in obj)
    if is_dataclass(obj):
        name = type(obj).__name__
        return {
            f.name: content(getattr(obj, f.name))
            for f in fields(obj)
            if f.name not in POSITIONAL or (f.name == "text" and name in KEEP_TEXT)
        }
    return obj


def assert_spans_exact(facts: PolicyFacts) -> int:
    count = 0
    for span in spans(facts):
        assert facts.text[span.start : span.end] == span.quote, span
        count += 1
    return count
