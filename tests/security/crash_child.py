"""A re-ingest that kills itself with SIGKILL at a chosen store-write boundary; and how to tell which
version of a policy a store holds afterwards.

``python -m tests.security.crash_child STORE DOCUMENT KILL_AT`` ingests DOCUMENT into STORE. Every
write the store sends to its backend (a pyoxigraph write call, a SPARQL Update request) is a
boundary: the process SIGKILLs itself right before write number KILL_AT, or right after its last
write when KILL_AT is one more than the number of writes. With KILL_AT 0 it runs to the end and
prints how many writes the ingest took. With ``CRASH_CHILD_ANNOUNCE=1`` in its environment it also
prints ``write N`` as each write starts, so a parent can kill it from outside in the middle of one.
With ``CRASH_CHILD_BULK=1`` it takes the bulk path (DOCUMENT may be a folder), one policy per bulk write.
The library code runs unchanged: only the backend handle is wrapped, so whatever the store does
between two writes is what a kill there leaves.

``python -m tests.security.crash_child --serve`` (``CrashChildren``) is the same child made cheaper:
one process imports the library and reasons a policy in memory once (the vocabulary's OWL RL
closure takes seconds), then forks one child per run, which runs ``main`` as above and dies the
same real SIGKILL; the tests that kill at every boundary need a dozen or more children each.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from rdflib import Literal

from explorer.model import graph_iri, inferred_graph_iri
from explorer.store import PolicyStore

POLICY = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
STATEMENT_NUMBER = Literal(4)  # statement IRIs are content keys: the edited statement gets a new one
OLD_STATUS = "Genetic modification of donor lymphocytes is **INVESTIGATIONAL**."
NEW_STATUS = "Genetic modification of donor lymphocytes is **MEDICALLY NECESSARY**."
# pyoxigraph.Store methods that change the store (each one is its own transaction)
OXIGRAPH_WRITES = frozenset({"update", "add", "remove", "extend", "bulk_extend", "load", "bulk_load",
                             "clear", "clear_graph", "remove_graph", "add_graph"})


def new_version(seed_text: str) -> str:
    """The seed policy with statement 4 changed from investigational to medically necessary."""
    assert OLD_STATUS in seed_text
    return seed_text.replace(OLD_STATUS, NEW_STATUS)


class Boundaries:
    """Counts writes; SIGKILLs the process at boundary ``kill_at``."""

    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.passed = 0

    def cross(self) -> None:
        self.passed += 1
        if self.passed == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if os.environ.get("CRASH_CHILD_ANNOUNCE"):
            print(f"write {self.passed}", flush=True)


class _OxigraphWrites:
    """A pyoxigraph Store whose writing methods cross a boundary first."""

    def __init__(self, inner: Any, boundaries: Boundaries) -> None:
        self._inner = inner
        self._boundaries = boundaries

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in OXIGRAPH_WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            self._boundaries.cross()
            return attr(*args, **kwargs)

        return write


def instrument(store: PolicyStore, boundaries: Boundaries) -> None:
    from explorer.store.oxigraph_store import OxigraphStore
    from explorer.store.sparql_store import SparqlStore

    if isinstance(store, OxigraphStore):
        store._store = _OxigraphWrites(store._store, boundaries)  # type: ignore[assignment]
    elif isinstance(store, SparqlStore):
        update: Callable[[str, str], None] = store._update

        def counted(text: str, what: str) -> None:
            if not text.lstrip().startswith("DROP SILENT GRAPH <urn:x-policy-explorer:tmp:"):
                boundaries.cross()  # (clean-up of temporary graphs after a failure is not a write)
            update(text, what)

        store._update = counted  # type: ignore[method-assign]
    else:
        raise SystemExit(f"cannot instrument {type(store).__name__}")


def version(store: PolicyStore) -> tuple[frozenset[object], frozenset[object], frozenset[object]]:
    """(asserted triples, inferred triples, statement 4's types as every query sees them)."""
    asserted = frozenset(store.get_graph(str(graph_iri(POLICY))))
    inferred = frozenset(store.get_graph(str(inferred_graph_iri(POLICY))))
    seen = frozenset(row[0] for row in store.query(  # type: ignore[index]
        "SELECT ?type WHERE { ?s <https://w3id.org/policy-explorer/ontology#statementNumber> ?n ; a ?type }",
        {"n": STATEMENT_NUMBER}))
    return asserted, inferred, seen


def main(argv: list[str]) -> None:
    from explorer.pipeline import document_paths, ingest_paths
    from explorer.pipeline_bulk import ingest_paths_bulk
    from explorer.store import open_store

    store_url, document, kill_at = argv[0], argv[1], int(argv[2])
    boundaries = Boundaries(kill_at)
    with open_store(store_url) as store:
        instrument(store, boundaries)
        if os.environ.get("CRASH_CHILD_BULK"):  # the bulk path: one bulk write per policy, in this process
            report = ingest_paths_bulk(store, document_paths([document]), workers=0, batch_bytes=1)
        else:
            report = ingest_paths(store, [document])
        assert report.ok, report.failed
        boundaries.cross()  # right after the last write
    print(boundaries.passed - 1, flush=True)


def _warm_up() -> None:
    """Everything a child computes before its first write that does not depend on the store: the
    imports, the vocabulary, its closure and the reasoner's indexes, the lexicon (no store is opened
    here, so a fork inherits no database handle or thread)."""
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph, load_vocabulary_graph
    from explorer.pipeline import ingest_paths  # noqa: F401  (imported for the children)
    from explorer.pipeline_bulk import ingest_paths_bulk  # noqa: F401
    from explorer.reason import infer_policy, vocabulary_closure

    seed = Path(__file__).resolve().parents[2] / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
    load_vocabulary_graph()
    vocabulary_closure()
    infer_policy(facts_to_graph(parse_policy_file(seed)))


def _forked(request: dict[str, Any]) -> int:
    """Run one request in a forked child; its exit code (negative: the signal that ended it)."""
    pid = os.fork()
    if pid == 0:  # the child: stdout and stderr to the parent's files, then main() as a process would
        code = 1
        try:
            os.environ.update(request["env"])
            for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
                target = os.open(path, os.O_WRONLY | os.O_TRUNC)
                os.dup2(target, fd)
                os.close(target)
            main(request["argv"])
            code = 0
        except BaseException:  # noqa: BLE001  (reported as an uncaught exception would be)
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def serve() -> None:
    """Read one JSON request a line (argv, env, stdout and stderr file paths), answer its exit code."""
    _warm_up()
    print("ready", flush=True)
    for line in sys.stdin:
        print(json.dumps({"returncode": _forked(json.loads(line))}), flush=True)


class CrashChildren:
    """A ``--serve`` process; ``run`` is ``subprocess.run`` of ``python -m tests.security.crash_child``."""

    def __init__(self, timeout: float = 300) -> None:
        self._timeout = timeout
        self._server = subprocess.Popen([sys.executable, "-m", "tests.security.crash_child", "--serve"],
                                        cwd=Path(__file__).resolve().parents[2], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self._readline() == "ready"

    def _readline(self) -> str:
        assert self._server.stdout is not None
        ready, _, _ = select.select([self._server.stdout], [], [], self._timeout)
        assert ready, f"the crash-child server did not answer within {self._timeout:.0f} s"
        line = self._server.stdout.readline()
        assert line, f"the crash-child server exited with {self._server.wait()}"
        return line.strip()

    def run(self, store_url: str, document: Path | str, kill_at: int,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        argv = [store_url, str(document), str(kill_at)]
        with tempfile.TemporaryDirectory() as tmp:
            out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
            out.touch()
            err.touch()
            assert self._server.stdin is not None
            self._server.stdin.write(json.dumps({"argv": argv, "env": env or {}, "stdout": str(out),
                                                 "stderr": str(err)}) + "\n")
            self._server.stdin.flush()
            code = json.loads(self._readline())["returncode"]
            return subprocess.CompletedProcess(argv, code, out.read_text(), err.read_text())

    def close(self) -> None:
        if self._server.stdin is not None:
            self._server.stdin.close()
        try:
            self._server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()
        if self._server.stdout is not None:
            self._server.stdout.close()

    def __enter__(self) -> CrashChildren:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main(sys.argv[1:])
