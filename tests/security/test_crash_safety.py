"""kill -9 during ingest into an on-disk Oxigraph store and during an export write.

The kills are placed by the child's own progress lines (after N policies were committed, after the
first whole file was written), not by guessing how long the child takes to start: a slow or loaded
machine still kills the child in the middle of the work, never before it began."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

from explorer.corpus import list_policies, load_policy_facts
from explorer.store import open_store
from tests.cliutil import run

INGESTER = """
import sys
from explorer.corpus import ingest_paths
from explorer.store import open_store
with open_store(sys.argv[1]) as store:
    ingest_paths(store, [sys.argv[2]], on_progress=lambda path: print(path.name, flush=True))
"""
COPIES = range(1000, 1006)
COMMITTED_BEFORE_KILL = 2
POLICY_GRAPH = "https://w3id.org/policy-explorer/id/policy/bcbsma/{}/graph"


def test_kill_during_ingest_keeps_previous_data_and_whole_graphs(seed_store, seed_web_path, tmp_path):
    shutil.copytree(seed_store, tmp_path / "store")   # policy 338, ingested and reasoned by the CLI
    store_url = f"oxigraph:{tmp_path / 'store'}"
    before = run("export", "338", "--format", "nq", "--inferred", store=store_url).stdout
    folder = tmp_path / "copies"
    folder.mkdir()
    seed = seed_web_path.read_text(encoding="utf-8")
    assert "Policy Number: 338" in seed
    for n in COPIES:
        (folder / f"bcbsma-{n}.txt").write_text(seed.replace("Policy Number: 338", f"Policy Number: {n}"),
                                                encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", INGESTER, store_url, str(folder)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    for _ in range(COMMITTED_BEFORE_KILL):  # a line once each policy's transaction is committed
        assert child.stdout.readline().strip()
    time.sleep(0.2)                           # into the next policy: parsing, reasoning or writing
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(10) == -signal.SIGKILL  # killed, not finished
    with open_store(store_url) as store:
        numbers = {p.number for p in list_policies(store)}
        assert "338" in numbers
        copies = numbers - {"338"}
        assert COMMITTED_BEFORE_KILL <= len(copies) < len(COPIES)
        whole = len(store.get_graph(POLICY_GRAPH.format(338)))
        for number in numbers:
            assert load_policy_facts(store, number).statements
            assert len(store.get_graph(POLICY_GRAPH.format(number))) == whole  # never half a policy
    assert run("export", "338", "--format", "nq", "--inferred", store=store_url).stdout == before
    # the copy committed last before the kill, the one most exposed to it, conforms to the shapes
    assert run("validate", max(copies, key=int), store=store_url).exit_code == 0


WRITER = """
import sys
from explorer.io_safety import atomic_write_text
path = sys.argv[1]
i = 0
while True:
    atomic_write_text(path, ("AB"[i % 2]) * 30_000_000)
    print(i, flush=True)
    i += 1
"""


def test_kill_during_atomic_write_leaves_old_or_new_file(tmp_path):
    from explorer.io_safety import atomic_write_text

    target = tmp_path / "export.nq"
    atomic_write_text(target, "O" * 30_000_000)
    # a write of 30 MB takes about 0.1 s here: these land in the temp write, the fsync or the rename
    for delay in (0.0, 0.03, 0.06, 0.09):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "0"  # one whole write done
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
        data = target.read_bytes()
        assert len(data) == 30_000_000
        assert data.count(data[:1]) == len(data)  # one whole version, never a mix or a prefix


def test_atomic_write_failure_keeps_old_file(tmp_path):
    from explorer.io_safety import atomic_write_text

    target = tmp_path / "out.ttl"
    atomic_write_text(target, "old")
    with contextlib.suppress(UnicodeEncodeError):
        atomic_write_text(target, "\udc00 not encodable")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
