"""Crash children forked from one warmed-up process, for the tests that kill a child at every boundary.

``python -m tests.security.crash_child`` pays for its imports, the vocabulary's OWL RL closure and
the reasoner's indexes (seconds) before its first write; a test that kills a child at each of a dozen
write boundaries paid that a dozen times. ``python -m tests.security.crash_children`` computes them
once, in memory and without opening a store (a fork inherits no database handle or thread), then
forks one child per request. Each child is still a real process: it runs ``crash_child.main`` with
its own arguments and environment, writes its stdout and stderr to files of the parent's choosing,
and dies by the same real SIGKILL; its exit status is read as ``subprocess`` reads one (negative:
the signal). ``CrashChildren`` is the parent's side.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _warm_up() -> None:
    """What every child computes before its first write and that does not depend on the store."""
    from explorer.ingest import parse_policy_file
    from explorer.model import facts_to_graph, load_vocabulary_graph
    from explorer.pipeline import ingest_paths  # noqa: F401  (imported here once, for the children)
    from explorer.pipeline_bulk import ingest_paths_bulk  # noqa: F401
    from explorer.reason import infer_policy, vocabulary_closure
    from tests.security import crash_child  # noqa: F401

    load_vocabulary_graph()
    vocabulary_closure()
    seed = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
    infer_policy(facts_to_graph(parse_policy_file(seed)))


def _fork(request: dict[str, Any]) -> int:
    """Start one child on ``request`` (argv, env, stdout and stderr paths); its PID."""
    pid = os.fork()
    if pid == 0:  # the child: its output to the parent's files, then crash_child.main as a process would
        from tests.security import crash_child

        code = 1
        try:
            os.environ.update(request["env"])
            for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
                target = os.open(path, os.O_WRONLY | os.O_TRUNC)
                os.dup2(target, fd)
                os.close(target)
            crash_child.main(request["argv"])
            code = 0
        except BaseException:  # noqa: BLE001  (reported as an uncaught exception would be)
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def serve() -> None:
    """One JSON request a line: ``{"argv", "env", "stdout", "stderr"}`` starts a child and answers its
    ``{"pid"}``; ``{"wait": pid}`` reaps it and answers its ``{"returncode"}`` (till then a killed child
    is a zombie, as a ``Popen`` child is, so its PID is not reused)."""
    _warm_up()
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "wait" in request:
            answer = {"returncode": os.waitstatus_to_exitcode(os.waitpid(request["wait"], 0)[1])}
        else:
            answer = {"pid": _fork(request)}
        print(json.dumps(answer), flush=True)


class ForkedChild:
    """One child: ``pid``, its stdout line by line, and ``wait`` for its exit code."""

    def __init__(self, owner: CrashChildren, pid: int, stdout: Path, stderr: Path) -> None:
        self.pid, self._owner, self.stdout_path, self.stderr_path = pid, owner, stdout, stderr
        self._read = 0

    def readline(self, timeout: float = 300) -> str:
        """The child's next whole stdout line (waits for it, as a pipe's readline would)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.stdout_path.read_text()
            end = text.find("\n", self._read)
            if end >= 0:
                line, self._read = text[self._read:end], end + 1
                return line
            assert time.monotonic() < deadline, f"no line from the child within {timeout:.0f} s"
            time.sleep(0.005)

    def wait(self) -> int:
        return int(self._owner._ask({"wait": self.pid})["returncode"])


class CrashChildren:
    """A ``crash_children`` server; ``run`` is ``subprocess.run`` of ``python -m tests.security.crash_child``."""

    def __init__(self, timeout: float = 300) -> None:
        self._timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="crash-children-")
        self._count = 0
        self._server = subprocess.Popen([sys.executable, "-m", "tests.security.crash_children"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._readline() == "ready"

    def _readline(self) -> str:
        assert self._server.stdout is not None
        ready, _, _ = select.select([self._server.stdout], [], [], self._timeout)
        assert ready, f"the crash-children server did not answer within {self._timeout:.0f} s"
        line = self._server.stdout.readline()
        assert line, f"the crash-children server exited with {self._server.wait()}"
        return line.strip()

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._server.stdin is not None
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        answer: dict[str, Any] = json.loads(self._readline())
        return answer

    def start(self, store_url: str, document: Path | str, kill_at: int,
              env: dict[str, str] | None = None) -> ForkedChild:
        """``crash_child STORE DOCUMENT KILL_AT`` with ``env`` added to the environment, running."""
        self._count += 1
        out, err = (Path(self._tmp.name) / f"{self._count}.{name}" for name in ("stdout", "stderr"))
        out.touch()
        err.touch()
        pid = self._ask({"argv": [store_url, str(document), str(kill_at)], "env": env or {},
                         "stdout": str(out), "stderr": str(err)})["pid"]
        return ForkedChild(self, int(pid), out, err)

    def run(self, store_url: str, document: Path | str, kill_at: int,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """The child run to its end (or its kill): exit code, stdout and stderr."""
        child = self.start(store_url, document, kill_at, env)
        code = child.wait()
        return subprocess.CompletedProcess([store_url, str(document), str(kill_at)], code,
                                           child.stdout_path.read_text(), child.stderr_path.read_text())

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
        self._tmp.cleanup()

    def __enter__(self) -> CrashChildren:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


if __name__ == "__main__":
    serve()
