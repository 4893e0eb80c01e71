"""The benchmark runs end to end on a tiny corpus and reports what it measured (no timing asserts)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from explorer.bench.run import BenchOptions, format_report, report_from_json, run_benchmark
from explorer.cli.main import cli
from explorer.query.catalog import load_catalog


def test_tiny_benchmark_reports_every_catalog_query_and_the_store_content() -> None:
    # oxigraph: in memory, not memory: (rdflib), whose pure-Python engine joins evidence-for-disease's
    # groups eagerly: 4-10 s for 3 policies on a loaded 2-core machine, too near the 10 s limit
    report = run_benchmark(BenchOptions(policies=3, stores=("oxigraph:",), runs=1, anchors=False))
    [store] = report.stores
    assert (store.policies, store.failed) == (3, 0)
    assert store.store_triples > store.asserted_triples + store.inferred_triples  # plus the vocabulary
    assert [t.name for t in store.queries] == sorted(load_catalog())
    assert [t.name for t in store.queries if t.error] == []
    assert store.validated == 3 and store.nonconforming == 0
    assert store.peak_rss_mib > 0
    text = format_report(report)
    assert "triples in store" in text and "evidence-for-disease" in text
    again = report_from_json(json.loads(json.dumps(report.to_json())))
    assert again == report


def test_bench_generate_command_writes_documents(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["bench", "generate", "--policies", "4", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "c").glob("*.txt"))) == 4
    assert "wrote 4 policies" in result.output


def test_bulk_and_per_policy_paths_give_the_same_store() -> None:
    """The benchmark's Oxigraph ingest takes the bulk path (wall time, worker RSS reported apart);
    ``bulk=False`` (``--per-policy``) measures the per-policy path, phase by phase, on the same corpus."""
    options = BenchOptions(policies=3, stores=("oxigraph:",), runs=1, anchors=False, validate_sample=1)
    report = run_benchmark(options)
    [bulk] = report.stores
    [one] = run_benchmark(BenchOptions(**{**options.__dict__, "bulk": False})).stores
    assert bulk.wall_s is not None and one.wall_s is None
    assert bulk.ingest_s == bulk.wall_s and one.ingest_s == one.parse_s + one.model_s + one.reason_s + one.write_s
    assert (bulk.asserted_triples, bulk.inferred_triples, bulk.store_triples) == \
        (one.asserted_triples, one.inferred_triples, one.store_triples)
    assert [t.rows for t in bulk.queries] == [t.rows for t in one.queries]
    assert "bulk, " in format_report(report)


def test_rdflib_store_is_skipped_above_its_limit() -> None:
    report = run_benchmark(BenchOptions(policies=2, stores=("memory:",), runs=1, anchors=False,
                                        rdflib_max_policies=1, validate_sample=1))
    assert report.stores == () and any("memory:" in n for n in report.notes)


def test_quick_calls_are_timed_often_enough_for_a_median() -> None:
    """A sub-millisecond query timed three times gave explorer / direct ratios from 0.65x to 1.99x
    across runs; such calls get at least QUICK_RUNS warm runs, slow ones exactly what was asked."""
    import time as _time

    from explorer.bench.timing import QUICK_MS, QUICK_RUNS, repeat

    calls: list[int] = []
    repeat("quick", lambda: calls.append(1), 2)
    assert len(calls) == 1 + QUICK_RUNS
    calls.clear()
    repeat("slow", lambda: (calls.append(1), _time.sleep(QUICK_MS * 1.5 / 1000)), 2)
    assert len(calls) == 1 + 2
    calls.clear()
    timing, _, beside = repeat("once", lambda: calls.append(1), 0)
    assert len(calls) == 1 and timing.p50_ms == timing.cold_ms and beside is None


def test_a_call_timed_beside_another_runs_right_after_each_of_its_runs() -> None:
    """The engine's runs interleave with the explorer's (``bench run``'s explorer / direct ratio),
    so a machine that slows down meanwhile slows both alike."""
    from explorer.bench.timing import QUICK_RUNS, repeat

    order: list[str] = []
    timing, answer, beside = repeat("pair", lambda: order.append("explorer") or "rows", 3,
                                    lambda: order.append("engine") or 1.5)
    assert order == ["explorer", "engine"] * (1 + QUICK_RUNS) and answer == "rows"
    assert beside is not None and beside.name == "pair" and beside.p50_ms == 1.5  # the engine's own ms


def test_an_engine_that_fails_or_is_slow_is_not_timed_beside_the_explorer(monkeypatch) -> None:
    """A failure of the bare pyoxigraph handle is not the explorer's: no engine figure, the
    explorer still measured; an engine slower than SLOW_SECONDS once is not repeated."""
    from explorer.bench import catalog_timing
    from explorer.query.catalog import load_catalog

    class Failing:
        def read_ms(self, text: str, max_rows: int) -> float:
            raise OSError("disk gone")

    class Slow:
        def read_ms(self, text: str, max_rows: int) -> float:
            return catalog_timing.SLOW_SECONDS * 1000 + 1

    query = load_catalog()["policies"]
    assert catalog_timing._engine_beside(Failing(), query, {}, 10) == (None, None)
    assert catalog_timing._engine_beside(None, query, {}, 10) == (None, None)
    call, once = catalog_timing._engine_beside(Slow(), query, {}, 10)
    assert call is None and once == catalog_timing.SLOW_SECONDS * 1000 + 1
