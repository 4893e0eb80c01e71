"""The synthetic corpus goes through the real parser and says what the generator meant it to say."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.bench.corpus import GeneratedCorpus, IntendedPolicy, generate_corpus
from explorer.ingest import load_lexicon, parse_policy_file
from explorer.ingest.facts import PolicyFacts

POLICIES = 60


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCorpus:
    return generate_corpus(tmp_path_factory.mktemp("corpus"), POLICIES, seed=7)


@pytest.fixture(scope="module")
def parsed(corpus: GeneratedCorpus) -> list[tuple[IntendedPolicy, PolicyFacts]]:
    lexicon = load_lexicon()
    return [(p, parse_policy_file(p.path, lexicon)) for p in corpus.policies]


def test_writes_one_document_per_policy_with_distinct_numbers(corpus: GeneratedCorpus) -> None:
    assert len(list(Path(corpus.directory).glob("*.txt"))) == POLICIES
    assert len({p.number for p in corpus.policies}) == POLICIES


def test_documents_parse_without_warnings(parsed: list[tuple[IntendedPolicy, PolicyFacts]]) -> None:
    assert [(p.path, f.warnings) for p, f in parsed if f.warnings] == []


def test_statements_match_statuses_services_indications_diseases(parsed) -> None:
    for intended, facts in parsed:
        got = [(s.number, s.status, s.service, s.indications, tuple(sorted({d.disease for d in s.diseases})))
               for s in facts.statements]
        want = [(s.number, s.status, s.service, s.indications, s.diseases) for s in intended.statements]
        assert got == want, intended.path


def test_codes_references_history_match(parsed) -> None:
    for intended, facts in parsed:
        assert tuple((c.system, c.code) for c in facts.codes) == intended.codes, intended.path
        assert tuple((r.number, r.pmid) for r in facts.references) == intended.references, intended.path
        assert tuple((h.date, h.end) for h in facts.history) == intended.history, intended.path


def test_header_products_and_prior_authorization_match(parsed) -> None:
    for intended, facts in parsed:
        assert (facts.number, facts.title) == (intended.number, intended.title)
        assert facts.applies_to == intended.applies_to
        cells = tuple(sorted((a.product, a.setting, a.required) for a in facts.prior_authorization))
        assert cells == intended.prior_authorization, intended.path


def test_figures_and_evidence_conclusions_match(parsed) -> None:
    for intended, facts in parsed:
        assert tuple((f.low, f.high) for f in facts.figures) == intended.figures
        assert tuple(e.conclusion for e in facts.evidence) == intended.conclusions


def test_corpus_varies(corpus: GeneratedCorpus) -> None:
    """The benchmark needs varied facts, not one document repeated."""
    statuses = {s.status for p in corpus.policies for s in p.statements}
    assert {"medically-necessary", "investigational", "not-medically-necessary"} <= statuses
    assert len({s.service for p in corpus.policies for s in p.statements}) >= 8
    assert len({d for p in corpus.policies for s in p.statements for d in s.diseases}) >= 10
    assert len({c for p in corpus.policies for c in p.codes}) >= 15
    assert any(pmid is None for p in corpus.policies for _, pmid in p.references)
    assert any(end is not None for p in corpus.policies for _, end in p.history)
    assert {r for p in corpus.policies for *_, r in p.prior_authorization} == {True, False}
    assert len({p.applies_to for p in corpus.policies}) >= 4


def test_same_seed_same_documents_other_seed_others(tmp_path: Path) -> None:
    a = generate_corpus(tmp_path / "a", 5, seed=11)
    b = generate_corpus(tmp_path / "b", 5, seed=11)
    c = generate_corpus(tmp_path / "c", 5, seed=12)
    texts = [[Path(p.path).read_text(encoding="utf-8") for p in x.policies] for x in (a, b, c)]
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]
    assert [p.statements for p in a.policies] == [p.statements for p in b.policies]
