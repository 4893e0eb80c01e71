"""The coverage index (issue 15 item 4) answers as the query path does, and never from stale data.

The query path reads each part of a policy with its own query (``coverage-statements``,
``coverage-criteria`` per statement, ...) at every question; the index reads a policy with one query
(``coverage-policy-facts``, the policy bound as an engine term) once per store revision, and keeps
the answers. Both are compared on the bundled corpus (the real policies of tests/fixtures/real and
the seed): every fifth code the policies list (a range by both its ends), with and without a
diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import explorer
from explorer.determination import determine
from explorer.determination.coverage_index import QueryPath, coverage_index
from explorer.determination.determine import determine_from
from explorer.determination.policy_rows import PolicyFacts, PolicyHit, read_in_one
from explorer.errors import ExplorerError
from explorer.pipeline import ingest_paths, list_policies
from explorer.store import PolicyStore

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
DIAGNOSES = (None, "C34.90", "C90.00")  # none; lung cancer; multiple myeloma
PPO = "Medicare PPO Blue"


@pytest.fixture(scope="module")
def corpus() -> Iterator[PolicyStore]:
    from explorer.corpus_cache import open_cached_corpus

    opened = open_cached_corpus()
    assert not opened.failed, opened.failed
    try:
        yield opened.store
    finally:
        opened.store.close()


@pytest.fixture(scope="module")
def reference(corpus: PolicyStore) -> _Reference:
    return _Reference(corpus)


def _codes(reference: _Reference) -> list[str]:
    """Every code the corpus's policies list, a range by both its ends (81162-81167: 81162, 81167)."""
    codes: set[str] = set()
    for policy in list_policies(reference.store):
        for notation, _ in reference.facts(policy.iri).codes:
            codes.update(part.strip() for part in notation.split("-") if part.strip())
    return sorted(codes)


class _Reference(QueryPath):
    """The query path, each code's and each policy's reads done once (the corpus's 867 codes asked
    three ways would otherwise read the same policies part by part 2,600 times: 10 minutes)."""

    def __init__(self, store: PolicyStore) -> None:
        super().__init__(store)
        self._codes: dict[str, list[PolicyHit]] = {}
        self._facts: dict[str, PolicyFacts] = {}

    def policies_for_code(self, code: str) -> list[PolicyHit]:
        if code not in self._codes:
            self._codes[code] = super().policies_for_code(code)
        return self._codes[code]

    def facts(self, policy: str) -> PolicyFacts:
        if policy not in self._facts:
            self._facts[policy] = super().facts(policy)
        return self._facts[policy]


def _answer(store: PolicyStore | _Reference, use_index: bool = True, **question: str | None) -> object:
    try:
        if isinstance(store, _Reference):
            return determine_from(store, **question)  # type: ignore[arg-type]
        return determine(store, use_index=use_index, **question)  # type: ignore[arg-type]
    except ExplorerError as exc:  # the same question must fail the same way
        return type(exc).__name__, str(exc)


def test_one_query_reads_what_the_per_part_queries_read(corpus, reference):
    policies = list_policies(corpus)
    assert len(policies) >= 27
    with_criteria = 0
    for policy in policies:
        one, parts = read_in_one(corpus, policy.iri), reference.facts(policy.iri)
        assert one == parts, policy.number
        with_criteria += bool(one.criteria)
    assert with_criteria  # the comparison covered criteria trees too


def test_index_answers_as_the_query_path_for_listed_codes(corpus, reference):
    """Every fifth listed code in order (all 867 asked three ways took 2.5 minutes of the suite);
    the sample spans every policy's table, since codes sort by system and number."""
    codes = _codes(reference)[::5]
    assert len(codes) > 100
    addressed = 0
    for code in codes:
        for diagnosis in DIAGNOSES:
            expected = _answer(reference, code=code, diagnosis=diagnosis)
            assert _answer(corpus, code=code, diagnosis=diagnosis) == expected, (code, diagnosis)
            assert _answer(corpus, code=code, diagnosis=diagnosis) == expected, (code, diagnosis)  # kept
            addressed += getattr(expected, "determination", "not-addressed") != "not-addressed"
    assert addressed > len(codes)  # most codes are answered by a policy, not 'not addressed'


@pytest.mark.parametrize("question", [
    {"code": "38242", "diagnosis": "C92.10", "product": PPO, "setting": "inpatient"},
    {"code": "38242", "diagnosis": "C92.10", "product": PPO, "setting": "office"},
    {"code": "38242", "diagnosis": None, "product": PPO},
    {"code": "38242", "diagnosis": "C92.10", "prior_hct": "investigational"},
    {"code": "38242", "diagnosis": "C92.10", "service": "genetic modification of donor lymphocytes"},
    {"code": "81455", "diagnosis": "C34.90", "line_of_business": "Commercial"},
    {"code": "81455", "diagnosis": "C34.90", "line_of_business": "Medicare Advantage"},
    {"code": "0364U", "diagnosis": "C90.00", "setting": "outpatient"},
])
def test_index_answers_as_the_query_path_with_product_setting_and_line(corpus, question):
    assert _answer(corpus, True, **question) == _answer(corpus, False, **question)  # uncached query path


def test_a_store_others_write_to_gets_no_index(corpus):
    class Shared:  # a SPARQL server's store says revision None: other clients write to it
        revision = None

    assert coverage_index(Shared()) is None  # type: ignore[arg-type]
    assert coverage_index(corpus) is coverage_index(corpus)


STATEMENT_1 = "Donor lymphocyte infusion may be **MEDICALLY NECESSARY** following"


@pytest.mark.parametrize("url", ["oxigraph:", "memory:"])
def test_every_write_is_seen_by_the_next_question(tmp_path, seed_web_path, url):
    """Replace a policy (its first statement reworded), add one, remove one: each next answer is
    the query path's, never the index's answer from before the write."""
    question = {"code": "38242", "diagnosis": "C92.10", "product": PPO, "setting": "outpatient"}
    with explorer.open_corpus([seed_web_path], store=url) as store:
        before = determine(store, **question)  # type: ignore[arg-type]
        assert before.determination == "medically-necessary"
        assert determine(store, **question) is before  # type: ignore[arg-type]  # kept: no SPARQL

        text = seed_web_path.read_text(encoding="utf-8")
        assert text.count(STATEMENT_1) == 1
        edited = tmp_path / seed_web_path.name
        edited.write_text(text.replace(STATEMENT_1, STATEMENT_1.replace("may be **MEDICALLY NECESSARY**",
                                                                        "is **INVESTIGATIONAL**")), encoding="utf-8")
        assert not ingest_paths(store, [edited]).failed  # replaced
        after = determine(store, **question)  # type: ignore[arg-type]
        assert after.determination == "investigational"
        assert after == determine(store, use_index=False, **question)  # type: ignore[arg-type]

        other = {"code": "0364U", "diagnosis": "C90.00"}
        assert determine(store, **other).determination == "not-addressed"  # type: ignore[arg-type]
        assert not ingest_paths(store, [REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"]).failed
        added = determine(store, **other)  # type: ignore[arg-type]
        assert (added.determination, added.policy_number) == ("medically-necessary", "MP360")

        seed = next(p for p in list_policies(store) if p.number == "338")
        for graph in [g for g in store.graph_iris() if g.startswith(seed.iri)] + [
                g for g in store.graph_iris() if "/inferred/bcbsma/338" in g]:
            store.remove_graph(graph)
        gone = determine(store, **question)  # type: ignore[arg-type]
        assert gone.determination == "not-addressed"
        assert gone == determine(store, use_index=False, **question)  # type: ignore[arg-type]


def test_the_index_query_is_planned_for_oxigraph_and_the_others_are_not():
    """``coverage-policy-facts`` names its plan (each OPTIONAL looked up per row on Oxigraph: at
    1,000 real documents 2-8 ms a policy, 330-630 ms hash-joined); the test above compares what it
    reads under that plan with the per-part queries."""
    from explorer.internal_queries import internal_plan
    from explorer.resources import queries_dir
    from explorer.store.oxigraph_plans import PLANS, planned_text

    assert internal_plan("coverage-policy-facts") == "optionals-per-row"
    assert internal_plan("coverage-statements") is None
    for path in sorted((queries_dir() / "internal").glob("*.rq")):  # every plan named is one that applies
        plan = internal_plan(path.stem)
        assert plan is None or plan in PLANS and planned_text(path.read_text(encoding="utf-8"), plan), path.name
