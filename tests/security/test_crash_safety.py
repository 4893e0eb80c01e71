"""kill -9 during ingest into an on-disk Oxigraph store and during an export write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from explorer.corpus import list_policies, load_policy_facts
from explorer.store import open_store
from tests.cliutil import run

CLI = [sys.executable, "-c", "from explorer.cli.main import cli; cli()"]


def test_kill_during_ingest_keeps_previous_data_and_whole_graphs(seed_web_path, tmp_path):
    store_url = f"oxigraph:{tmp_path / 'store'}"
    assert run("ingest", str(seed_web_path), "-q", store=store_url).exit_code == 0
    before = run("export", "338", "--format", "nq", "--inferred", store=store_url).stdout
    folder = tmp_path / "copies"
    folder.mkdir()
    seed = seed_web_path.read_text(encoding="utf-8")
    assert "Policy Number: 338" in seed
    for n in range(1000, 1030):
        (folder / f"bcbsma-{n}.txt").write_text(seed.replace("Policy Number: 338", f"Policy Number: {n}"),
                                                encoding="utf-8")
    child = subprocess.Popen([*CLI, "ingest", str(folder), "-q", "--store", store_url],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    with open_store(store_url) as store:
        numbers = {p.number for p in list_policies(store)}
        assert "338" in numbers
        for number in numbers:
            assert load_policy_facts(store, number).statements
    assert run("export", "338", "--format", "nq", "--inferred", store=store_url).stdout == before
    assert run("validate", store=store_url).exit_code == 0


WRITER = """
import sys
from explorer.io_safety import atomic_write_text
path = sys.argv[1]
i = 0
while True:
    atomic_write_text(path, ("AB"[i % 2]) * 30_000_000)
    i += 1
"""


def test_kill_during_atomic_write_leaves_old_or_new_file(tmp_path):
    from explorer.io_safety import atomic_write_text

    target = tmp_path / "export.nq"
    atomic_write_text(target, "O" * 30_000_000)
    for delay in (0.3, 0.7, 1.1):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        data = target.read_bytes()
        assert len(data) == 30_000_000
        assert data.count(data[:1]) == len(data)  # one whole version, never a mix or a prefix


def test_atomic_write_failure_keeps_old_file(tmp_path):
    from explorer.io_safety import atomic_write_text

    target = tmp_path / "out.ttl"
    atomic_write_text(target, "old")
    try:
        atomic_write_text(target, "\udc00 not encodable")
    except UnicodeEncodeError:
        pass
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
