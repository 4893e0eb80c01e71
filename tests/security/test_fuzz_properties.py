"""Property-based: mutated policies and random parameter values give typed errors or results."""

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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), noise=st.text(max_size=40))
def test_mutated_seed_parses_or_typed_error(seed, noise):
    text = mutate(SEED, random.Random(seed))
    at = seed % max(1, len(text))
    text = text[:at] + noise + text[at:]
    try:
        facts = parse_policy(text, "fuzz.txt")
    except PolicyParseError:
        return
    assert facts.statements


@pytest.fixture(scope="module")
def memory_store(seed_web_path):
    from explorer.corpus import ingest_paths
    from explorer.store import open_store

    store = open_store("memory:")
    ingest_paths(store, [seed_web_path], reason=False)
    return store


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(CATALOG) - 1), value=st.one_of(st.text(max_size=60), st.integers(), st.booleans()),
       run_it=st.integers(0, 9))
def test_random_parameter_values_bind_or_typed_error(memory_store, index, value, run_it):
    query = CATALOG[index]
    values = {p.name: value for p in query.parameters}
    try:
        bind_parameters(query, values)
    except QueryError:
        return
    if run_it == 0:  # run a tenth of them: the query still answers and changes nothing
        before = memory_store.stats()
        try:
            run_query(memory_store, query, values)
        except QueryError as exc:
            assert "Update" not in str(exc)
        assert memory_store.stats() == before
