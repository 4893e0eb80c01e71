"""Issue 15's targets table: verdicts, anchors and ratios from the numbers a report holds, and the
table printed (and in JSON) at the end of a real ``bench run``."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from explorer.bench.anchors import Anchors, ReasoningAnchor
from explorer.bench.fresh_cli import FreshRun, coverage_command
from explorer.bench.measure import COVERAGE_QUESTION, StoreBench
from explorer.bench.run import BenchOptions, BenchReport, format_report, report_from_json, run_benchmark
from explorer.bench.targets import MET, MISSED, NOT_MEASURED, check_targets
from explorer.bench.timing import Timing
from explorer.cli.main import cli

MIB = 2**20


def _store(**changes: object) -> StoreBench:
    base = StoreBench(
        store="oxigraph:/tmp/x",
        policies=1000,
        failed=0,
        vocabulary_s=1.0,
        parse_s=8.0,
        model_s=30.0,
        reason_s=13.0,
        write_s=20.0,
        asserted_triples=1_480_000,
        inferred_triples=360_000,
        store_triples=1_850_000,
        disk_bytes=829 * MIB,
        queries=(
            Timing("codes", 300.0, 250.0, 260.0, rows=10),
            Timing("evidence-for-disease", 200.0, 120.0, 130.0),
            Timing("policies", 90.0, 80.0, 85.0),
        ),
        coverage=Timing("coverage", 250.0, 4.0, 4.5),
        pages=(
            Timing("codes", 300.0, 12.0, 14.0, rows=10),
            Timing("references", 1200.0, 40.0, 45.0, rows=15752),
            Timing("diseases", 250.0, 240.0, 260.0, rows=69),
        ),
        validate_s=1.0,
        validated=1,
        nonconforming=0,
        peak_rss_mib=655.0,
        wall_s=60.0,
        workers=2,
        worker_peak_rss_mib=83.0,
        ingest_peak_rss_mib=398.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _anchors(**changes: object) -> Anchors:
    base = Anchors(
        quads=3_639_285,
        pyoxigraph_load_s=29.4,
        pyoxigraph_queries=(
            Timing("codes", 100.0, 90.0, 95.0),
            Timing("evidence-for-disease", 70.0, 60.0, 61.0),
            Timing("policies", 60.0, 64.0, 70.0),
        ),
        pyoxigraph_rss_mib=1459.0,
        pyoxigraph_disk_bytes=600 * MIB,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _report(**changes: object) -> BenchReport:
    base = BenchReport(
        1000,
        0,
        0.5,
        (_store(),),
        _anchors(),
        ReasoningAnchor(10, 0.013, 1.189),
        (),
        FreshRun("policy-explorer coverage ...", 0.9, 0.8, 3),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _by_figure(report: BenchReport) -> dict[str, object]:
    return {c.figure: c for c in check_targets(report)}


def test_every_figure_of_the_issue_gets_a_verdict_from_the_numbers() -> None:
    checks = _by_figure(_report())
    ingest = checks["ingest, text -> store"]
    assert (ingest.measured, ingest.anchor, ingest.verdict) == (60.0, 29.4, MET)  # type: ignore[attr-defined]
    assert ingest.ratio == pytest.approx(60.0 / 29.4)  # type: ignore[attr-defined]
    size = checks["store size on disk"]
    assert size.ratio == pytest.approx(829 / 600) and size.verdict == MET  # type: ignore[attr-defined]
    rss = checks["peak RSS while ingesting"]
    assert rss.measured == 398.0 and rss.verdict == MET  # type: ignore[attr-defined]
    slowest = checks["catalog query p50 warm, slowest"]
    assert (slowest.measured, slowest.verdict) == (250.0, MET)  # type: ignore[attr-defined]
    assert slowest.note.startswith("codes;")  # type: ignore[attr-defined]
    page = checks["catalog page of 100 rows p50 warm, slowest"]
    assert (page.measured, page.verdict) == (240.0, MET)  # type: ignore[attr-defined]
    assert page.note.startswith("diseases;")  # type: ignore[attr-defined]
    worst = checks["explorer / pyoxigraph directly, worst query"]
    assert worst.note == "codes; anchor store" and worst.ratio == pytest.approx(250 / 90)  # type: ignore[attr-defined]
    assert worst.verdict == MISSED  # type: ignore[attr-defined]
    assert checks["`codes` on pyoxigraph directly"].verdict == MET  # type: ignore[attr-defined]
    assert checks["`evidence-for-disease` on pyoxigraph directly"].measured == 60.0  # type: ignore[attr-defined]
    assert checks["coverage check p50 warm"].verdict == MET  # type: ignore[attr-defined]
    assert checks["coverage check cold"].verdict == MET  # type: ignore[attr-defined]
    assert checks["`policy-explorer coverage`, fresh process"].measured == 0.8  # type: ignore[attr-defined]
    reasoning = checks["reasoning vs owlrl's naive closure"]
    assert reasoning.ratio == pytest.approx(0.013 / 1.189) and reasoning.verdict == MET  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("report", "figure"),
    [
        (_report(stores=(_store(wall_s=100.0),)), "ingest, text -> store"),  # 3.4x the 29.4 s load
        (_report(stores=(_store(disk_bytes=901 * MIB),)), "store size on disk"),  # 1.502x
        (_report(stores=(_store(ingest_peak_rss_mib=601.0),)), "peak RSS while ingesting"),
        (_report(stores=(_store(queries=(Timing("codes", 0, 301.0, 301.0),)),)), "catalog query p50 warm, slowest"),
        (_report(stores=(_store(pages=(Timing("codes", 0, 301.0, 301.0),)),)),
         "catalog page of 100 rows p50 warm, slowest"),
        (
            _report(anchors=_anchors(pyoxigraph_queries=(Timing("codes", 0, 101.0, 101.0),))),
            "`codes` on pyoxigraph directly",
        ),
        (_report(stores=(_store(coverage=Timing("coverage", 301.0, 4.0, 4.0)),)), "coverage check cold"),
        (_report(stores=(_store(coverage=Timing("coverage", 200.0, 5.1, 6.0)),)), "coverage check p50 warm"),
        (_report(fresh_coverage=FreshRun("c", 1.2, 1.01, 3)), "`policy-explorer coverage`, fresh process"),
        (_report(reasoning=ReasoningAnchor(10, 0.030, 1.189)), "reasoning vs owlrl's naive closure"),  # 40x
    ],
)
def test_a_figure_past_its_target_is_missed(report: BenchReport, figure: str) -> None:
    assert _by_figure(report)[figure].verdict == MISSED  # type: ignore[attr-defined]


def test_a_query_that_did_not_answer_misses_both_query_targets() -> None:
    queries = (Timing("codes", 0, 0, 0, error="query took longer than 10 s"), Timing("policies", 90.0, 64.0, 70.0))
    checks = _by_figure(_report(stores=(_store(queries=queries),)))
    slowest = checks["catalog query p50 warm, slowest"]
    assert slowest.verdict == MISSED and "codes" in slowest.note  # type: ignore[attr-defined]
    worst = checks["explorer / pyoxigraph directly, worst query"]
    assert worst.ratio == pytest.approx(1.0) and worst.verdict == MISSED  # type: ignore[attr-defined]
    assert "no answer: codes" in worst.note  # type: ignore[attr-defined]


def test_the_overhead_ratio_takes_the_engine_timed_in_turn_over_the_anchor_store() -> None:
    """``direct_p50_ms`` (the same store's files on a bare pyoxigraph handle, each run right after
    the explorer's) is what the ratio is judged on when the run has it; the anchor store's
    timings, minutes apart, only otherwise."""
    queries = (Timing("codes", 300.0, 250.0, 260.0, direct_p50_ms=200.0),
               Timing("evidence-for-disease", 200.0, 120.0, 130.0, direct_p50_ms=70.0),
               Timing("policies", 90.0, 80.0, 85.0, direct_p50_ms=79.0))
    worst = _by_figure(_report(stores=(_store(queries=queries),)))["explorer / pyoxigraph directly, worst query"]
    assert worst.note == "evidence-for-disease; same store, timed in turn"  # type: ignore[attr-defined]
    assert (worst.measured, worst.anchor, worst.verdict) == (120.0, 70.0, MISSED)  # type: ignore[attr-defined]
    within = (replace(queries[0], direct_p50_ms=180.0), replace(queries[1], direct_p50_ms=100.0), queries[2])
    worst = _by_figure(_report(stores=(_store(queries=within),)))["explorer / pyoxigraph directly, worst query"]
    assert worst.ratio == pytest.approx(250 / 180) and worst.verdict == MET  # type: ignore[attr-defined]
    stopped = (*within[:2], Timing("references", 0, 0, 0, error="query stopped: it exceeded the time limit"))
    worst = _by_figure(_report(stores=(_store(queries=stopped),)))["explorer / pyoxigraph directly, worst query"]
    assert worst.verdict == MISSED and "no answer: references" in worst.note  # type: ignore[attr-defined]


def test_what_the_run_did_not_measure_is_not_met() -> None:
    report = _report(anchors=None, reasoning=None, fresh_coverage=None, stores=(_store(disk_bytes=None),))
    checks = _by_figure(report)
    for figure in (
        "ingest, text -> store",
        "store size on disk",
        "explorer / pyoxigraph directly, worst query",
        "`codes` on pyoxigraph directly",
        "`policy-explorer coverage`, fresh process",
        "reasoning vs owlrl's naive closure",
    ):
        assert checks[figure].verdict == NOT_MEASURED, figure  # type: ignore[attr-defined]
    failed = _report(fresh_coverage=FreshRun("c", 0.5, 0.5, 1, error="Error: no such store"))
    assert _by_figure(failed)["`policy-explorer coverage`, fresh process"].verdict == MISSED  # type: ignore[attr-defined]


def test_the_fresh_process_asks_the_benchmark_coverage_question() -> None:
    command = coverage_command("oxigraph:/tmp/s")
    assert command[command.index("coverage") + 1 :] == [
        "--code",
        COVERAGE_QUESTION["code"],
        "--diagnosis",
        COVERAGE_QUESTION["diagnosis"],
        "--product",
        COVERAGE_QUESTION["product"],
        "--setting",
        COVERAGE_QUESTION["setting"],
        "--store",
        "oxigraph:/tmp/s",
    ]


def test_bench_run_ends_with_the_targets_table_measured_on_a_real_store(tmp_path) -> None:
    """Two generated policies into an on-disk Oxigraph store, anchors and one fresh CLI process:
    every figure but reasoning (no --owlrl) is measured, and the JSON holds the same verdicts."""
    report = run_benchmark(
        BenchOptions(policies=2, stores=("oxigraph:",), runs=1, validate_sample=1, fresh_runs=1, workdir=str(tmp_path))
    )
    assert report.anchors is not None and (report.anchors.pyoxigraph_disk_bytes or 0) > 0
    assert report.fresh_coverage is not None and report.fresh_coverage.error is None
    assert report.fresh_coverage.first_s > 0
    checks = check_targets(report)
    verdicts = {c.figure: c.verdict for c in checks}
    assert [f for f, v in verdicts.items() if v == NOT_MEASURED] == ["reasoning vs owlrl's naive closure"]
    [store] = report.stores
    assert store.ingest_peak_rss_mib is not None and 0 < store.ingest_peak_rss_mib <= store.peak_rss_mib
    whole = {t.name: t for t in store.queries}
    assert [t.name for t in store.pages] == list(whole)
    answered = [t for t in store.queries if not t.error]
    assert answered and all(t.direct_p50_ms and t.direct_p50_ms > 0 for t in answered)
    assert {c.figure: c for c in checks}["explorer / pyoxigraph directly, worst query"].note.endswith(
        "; same store, timed in turn")
    for page in store.pages:  # a page's total is the whole listing's row count
        if not page.error and not whole[page.name].error and not whole[page.name].truncated:
            assert page.rows == whole[page.name].rows, page.name
    text = format_report(report)
    table = text[text.index("targets (issue 15, 2 policies)") :]
    assert all(c.figure in table for c in checks)
    data = json.loads(json.dumps(report.to_json()))
    assert {t["figure"]: t["verdict"] for t in data["targets"]} == verdicts
    assert report_from_json(data) == report


def test_bench_run_command_prints_the_targets_last(tmp_path, monkeypatch) -> None:
    """The CLI prints what ``format_report`` gives; here with no store measured, so every figure of
    a store is 'not measured'."""
    result = CliRunner().invoke(
        cli,
        [
            "bench",
            "run",
            "--policies",
            "1",
            "--store",
            "memory:",
            "--rdflib-max",
            "0",
            "--no-anchors",
            "--runs",
            "1",
            "--fresh-runs",
            "0",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()
    assert last[-1].strip() == "0 of 12 met"
    assert any(line.startswith("targets (issue 15, 1 policies)") for line in last)


def test_warm_coverage_runs_ask_new_valid_questions_on_the_same_code() -> None:
    """The warm coverage figure must not time answers kept for a repeated question."""
    from explorer.bench.measure import warm_coverage_questions
    from explorer.diagnoses import lookup_diagnosis

    questions = warm_coverage_questions(30)
    keys = {tuple(sorted(q.items())) for q in questions}
    assert len(keys) == 30 and tuple(sorted(COVERAGE_QUESTION.items())) not in keys
    assert {q["code"] for q in questions} == {COVERAGE_QUESTION["code"]}
    for diagnosis in {q["diagnosis"] for q in questions}:
        assert lookup_diagnosis(diagnosis).code == diagnosis
