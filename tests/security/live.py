"""Real processes for the attack tests: ``policy-explorer endpoint`` on a free loopback port, and the
bound-value attack of issue 11 aimed at a recorder's port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SEED_WEB
from tests.store.virtuoso import VirtuosoServer

ROOT = Path(__file__).resolve().parents[2]

#: Ad hoc text that declares a parameter ?v and compares 1 with the string "a>{" in its projection.
#: The old VALUES placement masked ``<"a>`` as an IRI, took the ``{`` inside the string for the
#: WHERE group and put ``VALUES (?v) { ("...") }`` there: the value's quotes closed and reopened
#: the literal, so the value's text ran as SPARQL. One line, so a trailing ``#`` in the value
#: comments the rest out.
SPLICE_TEMPLATE = 'SELECT ?r (1<"a>{" AS ?q) WHERE { ?s ?p ?o }'


def splice_value(recorder_url: str) -> str:
    """The value that, spliced into :data:`SPLICE_TEMPLATE`, became a SERVICE call to the recorder."""
    return f" AS ?z) WHERE {{ SERVICE <{recorder_url}> {{ ?r ?p ?o }} }} #"


def splice_query(recorder_url: str | None = None) -> str:
    """The template with ``# param: v`` (string); with a URL, the attack value is its default."""
    if recorder_url is None:
        return f"# param: v (string)\n{SPLICE_TEMPLATE}"
    return f'# param: v (string, default="{splice_value(recorder_url)}")\n{SPLICE_TEMPLATE}'


@contextmanager
def read_only_virtuoso(directory: Path) -> Iterator[VirtuosoServer]:
    """A throwaway Virtuoso holding the seed policy, whose account ``reader`` / ``reader-pw``
    may only read (``SPARQL_SELECT``); the anonymous user's ``SPARQL_UPDATE`` is revoked after
    loading. Query it as ``sparql:`` + ``server.auth_url`` with :data:`READER_ENV` set."""
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store
    from tests.store.virtuoso import binaries, virtuoso_server

    found = binaries()
    if found is None:
        pytest.skip("Virtuoso not installed (apt-get install virtuoso-opensource provides virtuoso-t)")
    with virtuoso_server(directory) as server:
        with open_store("sparql:" + server.sparql_url) as store:
            assert ingest_paths(store, [SEED_WEB], reason=False).ok   # the seed: not the whole bundle
        for statement in ("DB.DBA.USER_CREATE('reader', 'reader-pw');", 'GRANT SPARQL_SELECT TO "reader";',
                          'REVOKE SPARQL_UPDATE FROM "SPARQL";'):
            subprocess.run([found[1], str(server.sql_port), "dba", "dba", f"exec={statement}"], check=True,
                           capture_output=True, timeout=30)
        yield server


#: The read-only account's credentials, as the ``sparql:`` store reads them.
READER_ENV = {"POLICY_EXPLORER_SPARQL_USER": "reader", "POLICY_EXPLORER_SPARQL_PASSWORD": "reader-pw"}


@dataclass
class Endpoint:
    url: str                    # http://127.0.0.1:PORT/sparql
    base: str                   # http://127.0.0.1:PORT
    process: subprocess.Popen[str]


@contextmanager
def endpoint_process(*args: str, extra_env: dict[str, str] | None = None) -> Iterator[Endpoint]:
    """``policy-explorer endpoint --port 0 ARGS`` as a real process, until the block ends."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    process = subprocess.Popen([sys.executable, "-m", "explorer.cli.main", "endpoint", "--port", "0", *args],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        assert process.stderr is not None
        line = ""
        while "SPARQL endpoint at" not in line:
            line = process.stderr.readline()
            assert line, "the endpoint exited before serving"
        match = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", line)
        assert match, line
        yield Endpoint(match.group(1) + "/sparql", match.group(1), process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
