"""`policy-explorer endpoint` as a real process on a free loopback port."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.pipeline import ingest_paths
from explorer.store import open_store
from tests.endpoint.http import get_query, post_form

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory, seed_web_path) -> str:
    url = "oxigraph:" + str(tmp_path_factory.mktemp("store") / "ox")
    with open_store(url) as store:
        assert ingest_paths(store, [seed_web_path], reason=False).ok
    return url


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "explorer.cli.main", "endpoint", *args],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)


def test_endpoint_command_serves_and_refuses(disk_store):
    # a generous time limit: this test is about serving and refusing, and a loaded CI machine once
    # took the fresh process's first query past the default 10 s
    process = _start("--store", disk_store, "--port", "0", "--max-rows", "3", "--timeout", "60")
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
        assert match, line
        url = match.group(1)
        reply = get_query(url, "SELECT ?s WHERE { ?s ?p ?o }")
        assert reply.status == 200
        assert len(json.loads(reply.body)["results"]["bindings"]) == 3
        assert reply.headers["X-Result-Truncated"] == "true"
        refused = post_form(url, {"update": "DROP ALL"})
        assert refused.status == 403
    finally:
        process.terminate()
        process.wait(10)


def test_endpoint_command_reports_a_busy_port(disk_store):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _start("--store", disk_store, "--port", str(port))
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.startswith("error: cannot listen on 127.0.0.1:") and "Traceback" not in err
