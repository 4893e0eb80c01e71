"""kill -9 while a newer version of a policy is ingested into an on-disk Oxigraph store: the move of
the old current version into its version graph and the write of the new one are one transaction, so
every kill leaves the old state or the new one, and the default graph the union of the current graphs.

The child ingests in a real process and SIGKILLs itself before each write it sends to the store, and
after the last (``tests/security/crash_child.py``)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from explorer.model.iris import VERSION_GRAPH_PREFIX
from explorer.store import open_store
from explorer.versions.store import stored_versions

ROOT = Path(__file__).resolve().parents[2]
POLICY = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"


def _child(store_url: str, document: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.security.crash_child", store_url, str(document), str(kill_at)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _state(store_url: str) -> tuple[tuple[str | None, bool], ...]:
    """The policy's stored versions (date, current); asserts the default graph is exactly the union
    of the named graphs but the earlier versions'."""
    with open_store(store_url) as store:
        raw = store._store  # type: ignore[attr-defined]
        assert isinstance(raw, ox.Store)
        default = {q.triple for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        union = {q.triple for q in raw.quads_for_pattern(None, None, None)
                 if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(VERSION_GRAPH_PREFIX)}
        assert default == union
        return tuple((v.date, v.current) for v in stored_versions(store, POLICY))


def test_kill_at_each_write_boundary_keeps_old_or_new_versions(seed_store: Path, seed_web_path: Path,
                                                                tmp_path: Path) -> None:
    seed = seed_web_path.read_text(encoding="utf-8")
    head = "4/2019\tPrior authorization information clarified."
    document = tmp_path / "bcbsma-338-newer.txt"
    document.write_text(seed.replace(head, "1/2030\tAnnual policy review.\n" + head, 1), encoding="utf-8")

    def copy(name: str) -> str:
        shutil.copytree(seed_store, tmp_path / name)
        return f"oxigraph:{tmp_path / name}"

    old, new = (("2019-04", True),), (("2019-04", False), ("2030-01", True))
    finished = _child(copy("new"), document, 0)
    assert finished.returncode == 0, finished.stderr
    assert _state(f"oxigraph:{tmp_path / 'new'}") == new
    seen = []
    for kill_at in range(1, int(finished.stdout) + 2):
        url = copy(f"kill-{kill_at}")
        killed = _child(url, document, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
        seen.append(_state(url))
    assert set(seen) <= {old, new} and seen[0] == old and seen[-1] == new, seen
