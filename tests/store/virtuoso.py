"""A throwaway Virtuoso server for tests: temp database, free ports, SPARQL updates allowed.

Use :func:`virtuoso_server` as a context manager, or the session ``virtuoso`` fixture in conftest.
Needs ``virtuoso-t`` and ``isql-vt`` (Debian: ``apt-get install virtuoso-opensource``).
The anonymous ``/sparql`` endpoint may update (``SPARQL_UPDATE`` granted); ``/sparql-auth`` takes
HTTP Digest as ``dba``/``dba`` (the password of a fresh database). :meth:`VirtuosoServer.sparql_setting`
changes a ``[SPARQL]`` INI value for a while: Virtuoso 7.2 reads those on every request
(``virtuoso_ini_item_value``), so no restart is needed.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 60.0
VSP_ROOT = Path("/var/lib/virtuoso-opensource-7/vsp")

INI_TEMPLATE = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 5
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = {http_port}
ServerRoot = {vsp}
MaxClientConnections = 5
ServerThreads = 5
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def binaries() -> tuple[str, str] | None:
    """(virtuoso-t, isql) paths, or None when Virtuoso is not installed."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    return (server, isql) if server and isql else None


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class VirtuosoServer:
    """A running server: its SPARQL endpoints, the ports it listens on, and the dba login."""

    sparql_url: str
    http_port: int
    sql_port: int
    directory: Path
    user: str = "dba"
    password: str = "dba"

    @property
    def auth_url(self) -> str:
        """The Digest-protected endpoint (``/sparql-auth``)."""
        return self.sparql_url + "-auth"

    @contextmanager
    def sparql_setting(self, name: str, value: str) -> Iterator[None]:
        """Set ``[SPARQL] name = value`` in the INI file while the block runs."""
        ini = self.directory / "virtuoso.ini"
        original = ini.read_text()
        pattern = re.compile(rf"^{re.escape(name)}\s*=.*$", re.MULTILINE)
        line = f"{name} = {value}"
        changed = (
            pattern.sub(line, original)
            if pattern.search(original)
            else original.replace("[SPARQL]\n", f"[SPARQL]\n{line}\n")
        )
        ini.write_text(changed)
        try:
            yield
        finally:
            ini.write_text(original)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    probe = url + "?query=" + urllib.request.quote("ASK { }")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited early:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"virtuoso did not answer on {url} within {STARTUP_SECONDS}s")


@contextmanager
def virtuoso_server(directory: Path) -> Iterator[VirtuosoServer]:
    """Start Virtuoso in ``directory``, grant SPARQL_UPDATE to the SPARQL user, stop it on exit."""
    found = binaries()
    if found is None:
        raise RuntimeError("virtuoso-t / isql-vt not installed")
    server, isql = found
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = _free_port(), _free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI_TEMPLATE.format(d=directory, sql_port=sql_port, http_port=http_port, vsp=VSP_ROOT))
    out = directory / "stdout.log"
    with out.open("wb") as log:
        process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)], cwd=directory, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_ready(url, process, out)
        subprocess.run(
            [isql, str(sql_port), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=30,
        )
        yield VirtuosoServer(url, http_port, sql_port, directory)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
