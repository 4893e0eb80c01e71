"""The coverage form's plan choices come from one query (issue 15 item 7: the page asked once per
policy listing the code, 0.75 s for the 190 policies listing CPT 38242 at 1,000 policies): the
choices are what the policies' facts say, in policy-number order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.app.coverage_plans import plans_for_code
from explorer.pipeline import list_policies, load_policy_facts
from explorer.store import PolicyStore


@pytest.fixture(scope="module")
def corpus() -> Iterator[PolicyStore]:
    """The bundled corpus as the app loads it (the on-disk corpus cache, built if stale)."""
    from explorer.corpus_cache import open_cached_corpus

    opened = open_cached_corpus()
    assert not opened.failed, opened.failed
    yield opened.store
    opened.store.close()


def test_plans_are_the_applies_to_of_each_policy_listing_the_code(corpus: PolicyStore) -> None:
    facts = [(s.number, s.iri, load_policy_facts(corpus, s.iri)) for s in list_policies(corpus)]
    listing: dict[str, list[tuple[str, str]]] = {}
    for number, iri, f in facts:
        for code in {c.code.upper() for c in f.codes}:
            listing.setdefault(code, []).append((number, iri))
    shared = sorted(code for code, policies in listing.items() if len({n for n, _ in policies}) > 1)
    assert len(shared) >= 5  # codes several payers list, e.g. the MRD and liquid-biopsy PLA codes
    applies = {iri: sorted(f.applies_to) for _, iri, f in facts}
    # at least one code (81479) whose choices gather two policies' plans
    assert any(sum(bool(applies[iri]) for _, iri in listing[code]) > 1 for code in shared)
    for code in [*shared, "38242"]:
        expected = [name for _, iri in sorted(listing[code]) for name in applies[iri]]
        assert plans_for_code(corpus, code) == list(dict.fromkeys(expected)), code
    seed = ["Commercial Managed Care (HMO and POS)", "Commercial PPO and Indemnity"]
    assert plans_for_code(corpus, "38242")[:2] == seed


def test_a_code_no_policy_lists_offers_no_plan(corpus: PolicyStore) -> None:
    assert plans_for_code(corpus, "99999") == []
