"""Issue 15: the benchmark on the bundled real policies replicated to N documents. Each replica
must be the same policy as its original under a key of its own: every fact read back the same,
the key new and held by no other policy, and the copies of one policy's dated versions still
versions of one policy."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.bench.real_corpus import find_edit, replicate_corpus
from explorer.cli.main import cli
from explorer.ingest import load_lexicon, parse_policy_file
from explorer.ingest.facts import PolicyFacts


def _facts_apart_from_the_key(facts: PolicyFacts, tag: str = "") -> dict[str, object]:
    """What a replica must read back as its original does: not the key, nor the title's ``tag``
    where a service is named by the title."""
    return {
        "payer": facts.payer,
        "family": facts.family,
        "statements": [(s.status, s.service.replace(tag, "") if tag else s.service) for s in facts.statements],
        "codes": [(c.system, c.code) for c in facts.codes],
        "references": [(r.number, r.pmid) for r in facts.references],
        "history": [(h.date, h.end) for h in facts.history],
        "prior_authorization": len(facts.prior_authorization),
        "retrieved": facts.retrieved,
    }


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory, bundled_dir: Path):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("replicated")
    editable = [p for p in bundled_dir.iterdir() if p.suffix == ".txt"]
    corpus = replicate_corpus(bundled_dir, out, 2 * len(editable) + 3)  # two rounds and three documents
    lexicon = load_lexicon()
    parsed = {p.name: parse_policy_file(p, lexicon) for p in sorted(out.glob("*.txt"))}
    return corpus, parsed, bundled_dir


def test_every_bundled_text_document_is_replicated_as_the_same_policy_under_a_new_key(replicated) -> None:  # type: ignore[no-untyped-def]
    corpus, parsed, bundled = replicated
    editable = sorted(p.name for p in bundled.iterdir() if p.suffix == ".txt")
    assert list(corpus.originals) == editable  # every text document has an edit that passes
    assert corpus.skipped == (("bcbsks-ctdna-liquid-biopsy.pdf", "a .pdf file: its text cannot be edited"),)
    assert corpus.documents == len(parsed) == 2 * len(editable) + 3
    for name in editable:
        original, copy = parsed[name], parsed[f"r0001-{name}"]
        assert copy.number != original.number, name
        tag = "" if original.identifier else "R0001 "
        assert _facts_apart_from_the_key(copy, tag) == _facts_apart_from_the_key(original), name
        if original.identifier:  # the identifier's digits changed, its shape kept
            assert [c.isdigit() for c in copy.number] == [c.isdigit() for c in original.number], name
            assert copy.title == original.title, name
        else:  # the tag in the title, and the title otherwise as it was
            assert copy.title != original.title and copy.title.replace("R0001 ", "", 1) == original.title, name


def test_replica_keys_are_new_distinct_and_keep_versions_together(replicated) -> None:  # type: ignore[no-untyped-def]
    corpus, parsed, _ = replicated
    documents_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, facts in parsed.items():
        documents_of[(facts.payer, facts.number)].add(name.split("-", 1)[1] if name.startswith("r0") else name)
    assert len(documents_of) == corpus.policies
    originals = {(f.payer, f.number) for n, f in parsed.items() if not n.startswith("r0")}
    # a key shared by documents is one policy's dated versions (same name, another date), in the
    # originals and in every round of copies
    shared = {frozenset(re.sub(r"\.\d{4}(-\d\d-\d\d)?\.txt$", "", n) for n in names)
              for names in documents_of.values() if len(names) > 1}
    assert shared == {frozenset([base]) for base in (
        "bcbssc-liquid-biopsy", "bcbst-ctdna-liquid-biopsy", "cms-NCD-90.2-next-generation-sequencing",
        "evicore-MOL.TS.194-liquid-biopsy", "geisinger-MP360-minimal-residual-disease",
        "molina-MCP-051-genetic-testing")}
    copies = {(f.payer, f.number) for n, f in parsed.items() if n.startswith("r0")}
    assert not copies & originals  # no replica takes another policy's identifier


def test_an_occurrence_whose_edit_leaves_the_key_is_passed_over(tmp_path: Path, seed_web_path: Path) -> None:
    """The seed's number printed first in a sentence above its header: editing that one changes
    no key, so the edit kept is the one on the "Policy Number:" line."""
    text = seed_web_path.read_text(encoding="utf-8")
    doc = tmp_path / seed_web_path.name
    doc.write_text("See the notes on policy 338 below.\n" + text, encoding="utf-8")
    facts = parse_policy_file(doc)
    edit = find_edit(doc, facts)
    assert edit is not None and edit.kind == "digits"
    shown = doc.read_text(encoding="utf-8")
    assert shown.index("338") < edit.start and "Policy Number" in shown[shown.rfind("\n", 0, edit.start):edit.end]


def test_bench_run_on_the_bundled_corpus_says_what_it_measured() -> None:
    result = CliRunner().invoke(cli, ["bench", "run", "--corpus", "bundled", "--policies", "2", "--store", "memory:",
                                      "--no-anchors", "--runs", "1", "--fresh-runs", "0", "--validate", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("documents 2: the bundled real policies (2 documents) and their replicas: "
                               "2 documents, 2 policies; left out: bcbsks-ctdna-liquid-biopsy.pdf")
    assert "targets (issue 15, 2 real documents, replicated)" in result.output


def _facts(payer: str, number: str) -> PolicyFacts:
    return PolicyFacts(payer=payer, number=number, title="A policy", text="", path=f"{number}.txt", sha256="",
                       sections=())


def test_new_identifiers_skip_what_any_policy_of_the_payer_is_keyed_as() -> None:
    """The store keys a policy by slugs, so ``CAM-274`` holds the key ``CAM 274`` would take; and a
    payer whose every value of as many digits is taken gets an error, not an endless search."""
    from explorer.bench.real_corpus import Edit, _new_digits
    from explorer.errors import ExplorerError

    cam = {Path("a.txt"): _facts("Payer", "CAM 273"), Path("b.txt"): _facts("Payer", "CAM-274")}
    edits = [Edit(path, ("Payer", facts.number), 0, 7, "digits") for path, facts in cam.items()]
    values = _new_digits(edits, cam, 2)
    assert [values[(("Payer", "CAM 273"), k)] for k in (1, 2)] == ["275", "276"]
    assert [values[(("Payer", "CAM-274"), k)] for k in (1, 2)] == ["277", "278"]
    full = {Path(f"{d}.txt"): _facts("Payer", f"MP{d}") for d in range(10)}
    with pytest.raises(ExplorerError, match="no free identifier"):
        _new_digits([Edit(Path("0.txt"), ("Payer", "MP0"), 0, 3, "digits")], full, 1)
