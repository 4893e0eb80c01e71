"""bench fidelity: the scoring core on hand-built gold/facts pairs (expected figures worked out by
hand), and the command end to end on the seed against a gold file written by reading the seed."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from click.testing import CliRunner

from explorer.bench.fidelity import (
    CODES,
    HISTORY,
    IDENTIFIER,
    PAYER,
    PMIDS,
    REFERENCES,
    STATEMENTS,
    TITLE,
    Gold,
    GoldFormatError,
    GoldStatement,
    gold_from_json,
    locate_quote,
    normalise_code,
    score_document,
    totals,
)
from explorer.bench.fidelity_run import PayerVocabulary, format_report, run_fidelity
from explorer.cli.main import cli
from explorer.errors import PolicyParseError

FIXTURES = Path(__file__).parent / "fixtures"
SEED_DIR = Path(__file__).resolve().parents[2] / "data" / "policies"

TEXT = (
    "Policy\n"
    "Service A is MEDICALLY NECESSARY for\n"
    "adults with X.\n"
    "Service B is INVESTIGATIONAL and NOT MEDICALLY NECESSARY.\n"
    "Service C is investigational.\n"
)


def span_of(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def stmt(*statuses: str, sentence: str) -> NS:
    start, end = span_of(sentence)
    return NS(status=statuses[0], statuses=statuses, span=NS(start=start, end=end, quote=TEXT[start:end]))


GOLD = Gold(
    file="doc.txt",
    identifier="LAB.00015",
    payer="anthem",
    title="Circulating Tumor Cells",
    statements=(
        GoldStatement("medically-necessary", "Service A is MEDICALLY NECESSARY for adults with X."),  # line break
        GoldStatement("investigational", "Service B is INVESTIGATIONAL and NOT MEDICALLY NECESSARY."),
        GoldStatement("not-medically-necessary", "Service B is INVESTIGATIONAL and NOT MEDICALLY NECESSARY."),
        GoldStatement("investigational", "Service C is investigational."),
        GoldStatement("investigational", "A quote the gold writer mistyped: it is nowhere in the text."),
    ),
    codes=(("CPT", "81162-81167"), ("CPT", "38242"), ("HCPCS", "S3840")),
    pmids=("1", "2", "3", "4"),
    reference_count=20,
    newest_history_date="2024-05-09",
)

FACTS = NS(
    payer="Anthem Blue Cross",
    number=" LAB.00015 ",
    title="circulating  tumor\ncells",
    text=TEXT,
    statements=(
        stmt("medically-necessary", sentence="Service A is MEDICALLY NECESSARY for\nadults with X."),
        stmt(
            "investigational",
            "not-medically-necessary",
            sentence="Service B is INVESTIGATIONAL and NOT MEDICALLY NECESSARY.",
        ),
        stmt("medically-necessary", sentence="Service C is investigational."),  # the invented status
        stmt("investigational", sentence="Policy"),  # overlaps no gold statement: extra, not invented
    ),
    codes=(
        NS(system="CPT", code="81162 \u2013 81167"),
        NS(system="cpt", code="38242"),
        NS(system="HCPCS", code="0001U"),
    ),
    references=tuple(NS(pmid=p) for p in ("2", "3", "5")) + tuple(NS(pmid=None) for _ in range(16)),
    history=(NS(date="2019-04", end="2020-01"), NS(date="2024-05-09", end=None)),
)


def resolve(label: str) -> str | None:
    return {"anthem blue cross": "anthem"}.get(label.lower())


def test_hand_built_document_scores_as_worked_out_by_hand() -> None:
    score = score_document(FACTS, GOLD, resolve_payer=resolve)
    assert score.checks == {IDENTIFIER: True, PAYER: True, TITLE: True, REFERENCES: True, HISTORY: True}
    # statements: gold 1-4 located (5 is a gold error, excluded); extracted 1 matches gold 1, extracted 2
    # (two statuses) matches gold 2 and 3, extracted 3 overlaps gold 4 with the wrong status, extracted 4
    # overlaps nothing. Recall 3/4, precision 2/4.
    s = score.counts[STATEMENTS]
    assert (s.gold, s.extracted, s.matched_gold, s.matched_extracted) == (4, 4, 3, 2)
    assert (s.recall, s.precision) == (0.75, 0.5)
    [invented] = score.invented
    assert (invented.status, invented.gold_statuses) == ("medically-necessary", ("investigational",))
    assert span_of("Service C is investigational.") == (invented.start, invented.end)
    [gold_error] = score.gold_errors
    assert "statement 5 quote not found" in gold_error
    # codes: the range matches across an en dash and spaces, "cpt" is CPT; 0001U and S3840 differ: 2/3, 2/3
    c = score.counts[CODES]
    assert (c.matched_gold, c.gold, c.matched_extracted, c.extracted) == (2, 3, 2, 3)
    # pmids: {2, 3} of gold {1, 2, 3, 4} and of extracted {2, 3, 5}
    p = score.counts[PMIDS]
    assert (p.recall, p.precision) == (0.5, 2 / 3)
    assert score.reference_ratio == pytest.approx(1 / 20)  # 19 extracted of 20: within 5%
    missed = {(m.fact, m.kind, m.value) for m in score.misses}
    assert {
        (CODES, "missed", "HCPCS S3840"),
        (CODES, "extra", "HCPCS 0001U"),
        (PMIDS, "missed", "1"),
        (PMIDS, "extra", "5"),
    } <= missed
    assert sum(1 for m in score.misses if m.fact == STATEMENTS and m.kind == "missed") == 1  # gold 4
    assert sum(1 for m in score.misses if m.fact == STATEMENTS and m.kind == "extra") == 2  # extracted 3, 4


def test_single_status_statements_and_wrong_plain_facts() -> None:
    facts = NS(
        **{
            **vars(FACTS),
            "payer": "Some Unknown Health Plan",
            "title": "Circulating Tumour Cells",
            "references": FACTS.references[:18],
            "history": (NS(date="2024-05", end=None),),
            "statements": tuple(NS(status=s.status, span=s.span) for s in FACTS.statements),
        }
    )
    score = score_document(facts, GOLD, resolve_payer=resolve)
    assert score.checks[PAYER] is False  # an unknown label counts wrong
    assert score.checks[TITLE] is False
    assert score.checks[REFERENCES] is False and score.reference_ratio == pytest.approx(0.1)
    assert score.checks[HISTORY] is False  # 2024-05 is not 2024-05-09
    # without .statuses, extracted 2 is only "investigational": gold 3 (not-medically-necessary) is missed
    s = score.counts[STATEMENTS]
    assert (s.matched_gold, s.gold, s.matched_extracted, s.extracted) == (2, 4, 2, 4)


def test_null_gold_identifier_expects_none() -> None:
    gold = gold_from_json({"file": "doc.txt", "identifier": None}, "g.json")
    assert gold.identifier == ""  # null: the document prints no identifier
    assert score_document(NS(number="V1.2025"), gold).checks == {IDENTIFIER: False}
    assert score_document(NS(number=""), gold).checks == {IDENTIFIER: True}
    assert score_document(None, gold, error="refused").checks == {}
    assert gold_from_json({"file": "doc.txt"}, "g.json").identifier is None  # not given: not scored


def test_refused_document_counts_as_nothing_found_and_totals_are_micro_averaged() -> None:
    refused = score_document(None, GOLD, error="not a policy", text=TEXT)
    assert refused.error == "not a policy"
    assert not any(refused.checks.values())
    assert refused.counts[STATEMENTS].recall == 0 and refused.counts[STATEMENTS].precision is None
    assert len(refused.gold_errors) == 1  # the document text still checks the gold quotes
    ok = score_document(FACTS, GOLD, resolve_payer=resolve)
    t = totals([ok, refused])
    assert (t.documents, t.failed, t.invented) == (2, 1, 1)
    assert (t.counts[STATEMENTS].recall, t.counts[STATEMENTS].precision) == (3 / 8, 2 / 4)
    assert t.share(IDENTIFIER) == 0.5


def test_quote_location_ignores_whitespace_and_maps_back_to_offsets() -> None:
    [(start, end)] = locate_quote(TEXT, "Service A is MEDICALLY NECESSARY  for adults with X.")
    assert TEXT[start:end] == "Service A is MEDICALLY NECESSARY for\nadults with X."
    assert locate_quote(TEXT, "Service A is medically necessary") == []
    assert normalise_code(" cpt ", "81162 \u2014 81167") == ("CPT", "81162-81167")


def test_gold_file_of_the_wrong_shape_is_refused_naming_it() -> None:
    with pytest.raises(GoldFormatError, match="x.json: statement 1"):
        gold_from_json({"file": "a.txt", "statements": [{"status": "investigational"}]}, "x.json")
    with pytest.raises(GoldFormatError, match="x.json: 'file'"):
        gold_from_json({"identifier": "1"}, "x.json")


def test_a_crashing_parser_is_a_listed_failure_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "docs").mkdir()
    for name in ("a", "b"):
        (tmp_path / "docs" / f"{name}.txt").write_text(TEXT)
        (tmp_path / "gold" / f"{name}.json").write_text(json.dumps({"file": f"{name}.txt", "identifier": "1"}))
    (tmp_path / "gold" / "c.json").write_text(json.dumps({"file": "missing.txt"}))

    def parse(path: Path) -> object:
        if path.name == "a.txt":
            raise PolicyParseError("no policy number", path=str(path), line=3)
        raise KeyError("bug")

    report = run_fidelity(tmp_path / "gold", [tmp_path / "docs"], parse=parse, payers=PayerVocabulary({}, {}))
    assert [(s.file, s.error) for s in report.scores] == [
        ("a.txt", "line 3: no policy number"),
        ("b.txt", "KeyError: 'bug'"),
    ]
    assert any("missing.txt" in e and "not found" in e for e in report.gold_errors)
    assert "refused by the parser (2" in format_report(report)


def test_seed_scores_100_percent_on_every_fact_type() -> None:
    result = CliRunner().invoke(
        cli, ["bench", "fidelity", str(FIXTURES / "gold"), "--docs", str(SEED_DIR), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["gold_errors"] == [] and report["failures"] == [] and report["invented_statuses"] == []
    overall = report["overall"]
    assert overall["documents"] == 1
    assert {f: c["share"] for f, c in overall["checks"].items()} == dict.fromkeys(
        (IDENTIFIER, PAYER, TITLE, REFERENCES, HISTORY), 1.0
    )
    assert {f: (c["recall"], c["precision"]) for f, c in overall["counts"].items()} == dict.fromkeys(
        (STATEMENTS, CODES, PMIDS), (1.0, 1.0)
    )
    assert report["families"]["bcbsma"]["documents"] == 1
    assert report["misses"] == []
    table = CliRunner().invoke(cli, ["bench", "fidelity", str(FIXTURES / "gold"), "--docs", str(SEED_DIR)])
    assert table.exit_code == 0 and "100/100" in table.output and "invented statuses: 0" in table.output


def test_unreadable_gold_file_is_exit_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"file": "x.txt",')
    result = CliRunner().invoke(cli, ["bench", "fidelity", str(tmp_path)])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert "broken.json" in line and "Traceback" not in result.output
    missing = CliRunner().invoke(cli, ["bench", "fidelity", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "gold folder not found" in missing.output
