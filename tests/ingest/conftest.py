"""Shared fixtures of the ingest tests: the real documents, each parsed once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


@pytest.fixture(scope="session")
def parsed() -> Callable[[str], PolicyFacts]:
    """``parsed(name)``: the facts of ``tests/fixtures/real/name``, parsed on first use."""
    cache: dict[str, PolicyFacts] = {}

    def get(name: str) -> PolicyFacts:
        if name not in cache:
            cache[name] = parse_policy_file(REAL / name)
        return cache[name]

    return get
