"""Property-based: mutated policies and random parameter values give typed errors or results
(a mutated policy may be read partially: exact spans, and a warning for every part not found).

The suite runs a short campaign (``EXAMPLES`` per property, on the rdflib in-memory store); the long
one is ``python -m explorer.fuzz --minutes N`` (same mutations, Oxigraph store)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.errors import PolicyParseError, QueryError
from explorer.fuzz import mutate
from explorer.ingest import parse_policy
from explorer.query.bindings import bind_parameters
from explorer.query.catalog import load_catalog
from explorer.query.runner import run_query
from tests.conftest import SEED_WEB

SEED = SEED_WEB.read_text(encoding="utf-8")
CATALOG = [q for q in load_catalog().values() if q.parameters]
EXAMPLES = 100

# rdflib's own Dataset internals warn on every quad lookup; tens of thousands of recorded warnings
# cost the suite about a second and say nothing about the attack.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), noise=st.text(max_size=40))
def test_mutated_seed_parses_or_typed_error(seed, noise):
    text = mutate(SEED, random.Random(seed))
    at = seed % max(1, len(text))
    text = text[:at] + noise + text[at:]
    try:
        facts = parse_policy(text, "fuzz.txt")
    except PolicyParseError:
        return
    # partial ingest: what was found has exact spans; what was not is a warning, never a guess
    spans = [s.span for s in facts.statements] + [c.span for c in facts.codes] + [r.span for r in facts.references]
    assert all(facts.text[sp.start:sp.end] == sp.quote for sp in spans)
    assert facts.statements or any("statement" in w for w in facts.warnings)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(CATALOG) - 1), value=st.one_of(st.text(max_size=60), st.integers(), st.booleans()),
       run_it=st.integers(0, 9))
def test_random_parameter_values_bind_or_typed_error(hostile_store, index, value, run_it):
    """On the rdflib in-memory store holding the seed policy (with markup in its text)."""
    query = CATALOG[index]
    values = {p.name: value for p in query.parameters}
    try:
        bind_parameters(query, values)
    except QueryError:
        return
    if run_it == 0:  # run a tenth of them: the query still answers and changes nothing
        before = hostile_store.stats()
        try:
            run_query(hostile_store, query, values)
        except QueryError as exc:
            assert "Update" not in str(exc)
        assert hostile_store.stats() == before
