"""Shared fixtures of the ingest tests: the real documents, each parsed once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.ingest.facts import PolicyFacts

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


@pytest.fixture(scope="session")
def parsed(real_facts: Callable[[Path], PolicyFacts]) -> Callable[[str], PolicyFacts]:
    """``parsed(name)``: the facts of ``tests/fixtures/real/name``, parsed on first use (shared with
    the other folders through ``real_facts``, tests/conftest.py)."""
    return lambda name: real_facts(REAL / name)
