"""Property-based: no input makes the parser fail with anything but PolicyParseError."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.errors import PolicyParseError
from explorer.ingest import parse_policy, parse_policy_bytes
from tests.conftest import SEED_PDF, SEED_WEB
from tests.factsutil import assert_spans_exact

SEEDS = [SEED_WEB.read_text(encoding="utf-8"), SEED_PDF.read_text(encoding="utf-8")]


def _parse_or_typed_error(text: str) -> None:
    try:
        facts = parse_policy(text, "fuzz.txt")
    except PolicyParseError:
        return
    assert_spans_exact(facts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_random_text(text):
    _parse_or_typed_error(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    with contextlib.suppress(PolicyParseError):
        parse_policy_bytes(data, "fuzz.bin")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    cuts=st.lists(st.tuples(st.integers(0, 12000), st.integers(0, 400)), max_size=4),
    insert=st.text(alphabet=st.sampled_from(list("\n\t *-•¹²PMID0123456789.:;()ABCINVESTIGATONL ")), max_size=80),
)
def test_mutated_seed(seed, cuts, insert):
    """Delete random ranges of a real policy and insert policy-like noise."""
    text = seed
    for at, length in cuts:
        at %= max(1, len(text))
        text = text[:at] + insert + text[at + length :]
    _parse_or_typed_error(text)
