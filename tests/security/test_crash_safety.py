"""kill -9 during ingest into an on-disk Oxigraph store and during an export write.

The kills are placed by the child's own progress lines (after N policies were committed, after the
first whole file was written) or by the child itself at each write it sends to the store
(``tests/security/crash_child.py``), not by guessing how long the child takes to start: a slow or
loaded machine still kills the child in the middle of the work, never before it began."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from explorer.pipeline import list_policies, load_policy_facts
from explorer.store import PolicyStore, open_store
from tests.cliutil import run
from tests.security import crash_child
from tests.security.crash_children import CrashChildren

ROOT = Path(__file__).resolve().parents[2]

INGESTER = """
import sys
from explorer.pipeline import ingest_paths
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


def versions_at_each_boundary(make_store: Callable[[str], str], document: Path) -> list[tuple[str, str, str]]:
    """Kill a re-ingest of ``document`` at every write boundary, each time on a fresh copy of the old
    store (``make_store(name)`` returns its URL); which version each part of the policy is in after
    the kill: ("old"|"new"|"mixed", for the asserted graph, the inferred graph, what queries see).
    Each re-ingest is a real process that SIGKILLs itself (forked by ``CrashChildren``)."""
    with CrashChildren() as children:
        return _versions_at_each_boundary(make_store, document, children)


def _versions_at_each_boundary(make_store: Callable[[str], str], document: Path,
                               children: CrashChildren) -> list[tuple[str, str, str]]:
    with open_store(make_store("old")) as store:
        old = crash_child.version(store)
    finished = children.run(make_store("new"), document, 0)
    assert finished.returncode == 0, finished.stderr
    writes = int(finished.stdout)
    with open_store(make_store("new")) as store:  # the same store, now re-ingested
        new = crash_child.version(store)
    assert all(o != n for o, n in zip(old, new, strict=True))  # statement 4 changed status
    seen = []
    for kill_at in range(1, writes + 2):  # before each write, and after the last one
        url = make_store(f"kill-{kill_at}")
        killed = children.run(url, document, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.returncode, killed.stderr)
        with open_store(url) as store:
            now = crash_child.version(store)
            check_union(store)
        seen.append(tuple("old" if part == o else "new" if part == n else "mixed"
                          for part, o, n in zip(now, old, new, strict=True)))
    return seen


def check_union(store: PolicyStore) -> None:
    """The Oxigraph default graph (what queries over all graphs read) is exactly the named graphs' union."""
    raw = getattr(store, "_store", None)
    if isinstance(raw, ox.Store):
        default = {(q.subject, q.predicate, q.object)
                   for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        named = {(q.subject, q.predicate, q.object) for q in raw.quads_for_pattern(None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph)}
        assert default == named


def test_kill_at_each_write_boundary_leaves_old_or_new_policy_never_a_mix(seed_store, seed_web_path, tmp_path):
    """Issue 11: the asserted and inferred graphs were two transactions; a kill between them left
    statement 4 medically necessary in the facts but still investigational in the inferences."""
    document = tmp_path / "bcbsma-338-donor-lymphocyte-infusion.txt"
    document.write_text(crash_child.new_version(seed_web_path.read_text(encoding="utf-8")), encoding="utf-8")

    def make_store(name: str) -> str:
        if not (tmp_path / name).exists():
            shutil.copytree(seed_store, tmp_path / name)
        return f"oxigraph:{tmp_path / name}"

    seen = versions_at_each_boundary(make_store, document)
    assert all(state in (("old",) * 3, ("new",) * 3) for state in seen), seen
    assert seen[0] == ("old",) * 3 and seen[-1] == ("new",) * 3


def test_kill_inside_the_write_leaves_old_or_new_policy_never_a_mix(seed_store, seed_web_path, tmp_path):
    """SIGKILL from outside while Oxigraph evaluates and commits the one update (about 0.3 s for the
    seed policy): the transaction is all or nothing below Python too."""
    document = tmp_path / "bcbsma-338-donor-lymphocyte-infusion.txt"
    document.write_text(crash_child.new_version(seed_web_path.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copytree(seed_store, tmp_path / "old")
    with open_store(f"oxigraph:{tmp_path / 'old'}") as store:
        old = crash_child.version(store)
    seen = set()
    with CrashChildren() as children:   # real processes, forked warm (crash_children.py)
        for delay in (0.0, 0.05, 0.1, 0.2, 0.3):
            url = f"oxigraph:{tmp_path / f'kill-{delay}'}"
            shutil.copytree(seed_store, tmp_path / f"kill-{delay}")
            child = children.start(url, document, 0, {"CRASH_CHILD_ANNOUNCE": "1"})
            assert child.readline() == "write 1"
            time.sleep(delay)
            os.kill(child.pid, signal.SIGKILL)
            # killed, or already done: the write may take less than the longest delay (a store bulk-loaded
            # and optimized, an idle machine); then the store must hold the whole new version
            assert child.wait() in (-signal.SIGKILL, 0)
            with open_store(url) as store:
                now = crash_child.version(store)
                check_union(store)
            if now != old:  # the write committed before the kill: the whole new version
                assert all(o != n for o, n in zip(old, now, strict=True)), delay
                types = {str(t).rsplit("#", 1)[-1] for t in now[2]}
                assert "MedicallyNecessaryStatement" in types and "InvestigationalStatement" not in types
            seen.add(now == old)
    assert True in seen  # at least one kill landed before the commit


# -- the bulk path (issue 15 item 1) ----------------------------------------------------------------

BULK_INGESTER = """
import sys
from explorer.pipeline import ingest_paths
from explorer.store import open_store
with open_store(sys.argv[1]) as store:
    ingest_paths(store, [sys.argv[2]], bulk=True, workers=2,
                 on_progress=lambda path: print(path.name, flush=True))
"""


def seed_copies(seed_web_path: Path, folder: Path, numbers: range) -> None:
    folder.mkdir()
    seed = seed_web_path.read_text(encoding="utf-8")
    for n in numbers:
        (folder / f"bcbsma-{n}.txt").write_text(seed.replace("Policy Number: 338", f"Policy Number: {n}"),
                                                encoding="utf-8")


def policy_graphs(store_url: str) -> dict[str, tuple[frozenset[object], frozenset[object], frozenset[object]]]:
    """Each policy's (asserted, inferred, index) triples by number; checks the default graph is their union."""
    from explorer.model import inferred_graph_iri
    from explorer.model.iris import index_graph_iri

    with open_store(store_url) as store:
        check_union(store)
        out = {}
        for p in list_policies(store):
            out[p.number] = (frozenset(store.get_graph(POLICY_GRAPH.format(p.number))),
                             frozenset(store.get_graph(str(inferred_graph_iri(p.iri)))),
                             frozenset(store.get_graph(str(index_graph_iri(p.iri)))))
        return out


def test_kill_at_each_bulk_write_boundary_leaves_whole_policies(seed_store, seed_web_path, tmp_path):
    """Bulk loads are not transactions: the journal around them makes each policy whole or absent
    (every policy present is the one a finished run gives, asserted and inferred graphs alike)."""
    seed_copies(seed_web_path, tmp_path / "copies", range(2000, 2002))

    def fresh(name: str) -> str:
        shutil.copytree(seed_store, tmp_path / name)
        return f"oxigraph:{tmp_path / name}"

    env = {"CRASH_CHILD_BULK": "1"}
    landed = []
    with CrashChildren() as children:   # real processes, forked warm (crash_children.py)
        finished = children.run(fresh("all"), tmp_path / "copies", 0, env)
        assert finished.returncode == 0, finished.stderr
        writes = int(finished.stdout)
        assert writes >= 10  # per policy: journal, named graphs, journal, union, journal
        whole = policy_graphs(f"oxigraph:{tmp_path / 'all'}")
        assert set(whole) == {"338", "2000", "2001"}
        assert all(index for _, _, index in whole.values())  # a whole policy has its span index
        for kill_at in range(1, writes + 2):
            url = fresh(f"kill-{kill_at}")
            killed = children.run(url, tmp_path / "copies", kill_at, env)
            assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
            present = policy_graphs(url)
            assert all(graphs == whole[number] for number, graphs in present.items()), kill_at
            landed.append(len(present) - 1)
    assert landed[0] == 0 and landed[-1] == 2 and 1 in landed  # none, then one whole policy, then both


def test_kill_during_a_real_bulk_ingest_leaves_whole_policies(seed_store, seed_web_path, tmp_path):
    """SIGKILL from outside a bulk ingest with worker processes, at several moments; its workers go too."""
    from rdflib.compare import isomorphic

    from explorer.model.span_index import span_index
    from explorer.reason import infer_policy

    seed_copies(seed_web_path, tmp_path / "copies", range(3000, 3012))
    before = policy_graphs(f"oxigraph:{seed_store}")["338"]
    seen_workers: list[int] = []
    for k, delay in enumerate((0.0, 0.3, 1.0)):
        shutil.copytree(seed_store, tmp_path / f"kill-{k}")
        url = f"oxigraph:{tmp_path / f'kill-{k}'}"
        child = subprocess.Popen([sys.executable, "-c", BULK_INGESTER, url, str(tmp_path / "copies")],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert child.stdout is not None and child.stdout.readline().strip()  # the first document is built
        time.sleep(delay)
        workers = _children_of(child.pid)
        os.kill(child.pid, signal.SIGKILL)
        code = child.wait(10)
        assert code in (-signal.SIGKILL, 0)  # killed, or (a fast machine) already done
        seen_workers += workers  # (none when the kill came after the last document was built)
        present = policy_graphs(url)
        assert present.pop("338") == before and len(present) <= 12
        assert code != 0 or len(present) == 12
        # the copies differ only in their number: present ones are all the same size, and each
        # inferred graph is what reasoning over its asserted graph gives
        assert len({len(asserted) for asserted, _, _ in present.values()}) <= 1
        for asserted, inferred, index in present.values():
            assert isomorphic(infer_policy(_graph(asserted)).graph, _graph(inferred))
            assert set(span_index(_graph(asserted))) == set(index)  # the index matches its graph
        deadline = time.monotonic() + 10   # the workers notice their parent is gone and exit
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(map(_alive, workers))
    assert seen_workers  # at least one kill found worker processes, and they went


def _graph(triples: frozenset[object]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    return graph


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and fields[0] not in ("Z", "X") and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


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


def test_store_left_with_the_vocabulary_but_not_its_closure_is_repaired():
    """The vocabulary and its OWL RL closure were two writes too: a store killed between them never
    got the closure (``ensure_vocabulary`` looked only for the vocabulary). Now they are one write,
    and such a store is completed by the next ingest."""
    from explorer.model import INFERRED_VOCABULARY_GRAPH, VOCABULARY_GRAPH, load_vocabulary_graph
    from explorer.pipeline import ensure_vocabulary

    with open_store("oxigraph:") as store:
        store.replace_graph(str(VOCABULARY_GRAPH), load_vocabulary_graph())
        ensure_vocabulary(store)
        assert {str(VOCABULARY_GRAPH), str(INFERRED_VOCABULARY_GRAPH)} <= set(store.graph_iris())
