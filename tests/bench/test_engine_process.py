"""The bench's instruments that must not weigh on the measured process: the engine timed beside
the explorer runs in a process of its own, and an untimed count stopped at the time limit leaves
no evaluation running on."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pyoxigraph = pytest.importorskip("pyoxigraph")

EX = "http://example.org/"


def _store_dir(path: Path, triples: int) -> str:
    """An on-disk Oxigraph store of ``triples`` triples ``ex:sN ex:p "N"`` in the default graph."""
    store = pyoxigraph.Store(str(path))
    store.extend([pyoxigraph.Quad(pyoxigraph.NamedNode(f"{EX}s{i}"), pyoxigraph.NamedNode(f"{EX}p"),
                                  pyoxigraph.Literal(str(i)), pyoxigraph.DefaultGraph()) for i in range(triples)])
    store.flush()
    del store
    return str(path)


def test_the_engine_process_times_a_text_on_the_store_files_in_its_own_process(tmp_path: Path) -> None:
    from explorer.bench.engine_process import EngineError, EngineProcess

    path = _store_dir(tmp_path / "store", 40)
    with EngineProcess(path) as engine:
        assert engine._process.pid != os.getpid() and engine._process.is_alive()
        slow = engine.read_ms(f"SELECT ?a ?b WHERE {{ ?a <{EX}p> ?x . ?b <{EX}p> ?y }} ORDER BY ?a ?b", 10**6)
        quick = engine.read_ms(f"SELECT ?x WHERE {{ <{EX}s3> <{EX}p> ?x }}", 10)
        assert slow > 0 and quick > 0 and slow > quick  # 1,600 sorted rows against one lookup
        with pytest.raises(EngineError, match="SyntaxError|Parser|expected"):
            engine.read_ms("SELECT WHERE {", 10)
        assert engine.read_ms(f"SELECT ?a WHERE {{ ?a <{EX}p> \"3\" }}", 1) > 0  # still serving after an error
        process = engine._process
    assert not process.is_alive()


def test_an_engine_that_cannot_open_the_files_says_so(tmp_path: Path) -> None:
    from explorer.bench.engine_process import EngineError, EngineProcess

    with pytest.raises(EngineError, match="cannot open .*missing read-only"):
        EngineProcess(str(tmp_path / "missing"))


def test_the_bench_measures_without_an_engine_when_it_cannot_open_one(tmp_path: Path) -> None:
    from explorer.bench.measure import _bare_engine

    with _bare_engine(str(tmp_path / "missing")) as engine:
        assert engine is None
    with _bare_engine(None) as engine:
        assert engine is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs fork")
def test_a_count_stopped_at_the_time_limit_leaves_no_evaluation_running(tmp_path: Path) -> None:
    """A sorted cartesian product of 125,000 rows takes seconds on this store; stopped at 0.5 s,
    the count answers with the rows known, and no stray evaluation is left in this process."""
    from explorer.bench.catalog_timing import _counted_total
    from explorer.query.limits import stray_queries
    from explorer.store import open_store

    path = _store_dir(tmp_path / "store", 50)
    text = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?c ?b ?a"
    with open_store(f"oxigraph:{path}") as store:
        start = time.perf_counter()
        assert _counted_total(store, text, {}, 7, timeout_s=0.5) == (7, False)
        assert time.perf_counter() - start < 5
        assert stray_queries() == 0
        # a count within the limit is exact
        assert _counted_total(store, f"SELECT ?a WHERE {{ ?a <{EX}p> ?x }} ORDER BY ?a", {}, 0) == (50, True)
