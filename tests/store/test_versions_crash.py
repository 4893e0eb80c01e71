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
from tests.security.crash_children import CrashChildren

ROOT = Path(__file__).resolve().parents[2]
POLICY = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"


def _child(store_url: str, document: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.security.crash_child", store_url, str(document), str(kill_at)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _state(store_url: str, policy: str = POLICY) -> tuple[tuple[str | None, bool], ...]:
    """The policy's stored versions (date, current); asserts the default graph is exactly the union
    of the named graphs but the earlier versions'."""
    with open_store(store_url) as store:
        raw = store._store  # type: ignore[attr-defined]
        assert isinstance(raw, ox.Store)
        default = {q.triple for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        union = {q.triple for q in raw.quads_for_pattern(None, None, None)
                 if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(VERSION_GRAPH_PREFIX)}
        assert default == union
        return tuple((v.date, v.current) for v in stored_versions(store, policy))


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


def test_kill_at_each_write_of_a_bulk_batch_holding_two_versions_keeps_both_or_neither(
        seed_store: Path, seed_web_path: Path, tmp_path: Path) -> None:
    """Two versions of a new policy met in one bulk batch (the newer first) are decided in the batch
    and written in its one bulk write, the earlier one into its version graph: every kill leaves the
    policy absent or both versions whole, the default graph the union of the current graphs."""
    seed = seed_web_path.read_text(encoding="utf-8").replace("Policy Number: 338", "Policy Number: 4000")
    head = "4/2019\tPrior authorization information clarified."
    folder = tmp_path / "versions"
    folder.mkdir()
    (folder / "a-newer.txt").write_text(seed.replace(head, "1/2030\tAnnual policy review.\n" + head, 1),
                                        encoding="utf-8")
    (folder / "b-older.txt").write_text(seed, encoding="utf-8")
    policy = POLICY.replace("/338", "/4000")

    def copy(name: str) -> str:
        shutil.copytree(seed_store, tmp_path / name)
        return f"oxigraph:{tmp_path / name}"

    env = {"CRASH_CHILD_BULK": "1", "CRASH_CHILD_ONE_BATCH": "1"}
    both = (("2019-04", False), ("2030-01", True))
    seen = []
    with CrashChildren() as children:
        finished = children.run(copy("all"), folder, 0, env)
        assert finished.returncode == 0, finished.stderr
        assert _state(f"oxigraph:{tmp_path / 'all'}", policy) == both
        for kill_at in range(1, int(finished.stdout) + 2):
            url = copy(f"kill-{kill_at}")
            killed = children.run(url, folder, kill_at, env)
            assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
            seen.append(_state(url, policy))
    assert set(seen) <= {(), both} and seen[0] == () and seen[-1] == both, seen
