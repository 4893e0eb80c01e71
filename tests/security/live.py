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


@dataclass
class Endpoint:
    url: str                    # http://127.0.0.1:PORT/sparql
    base: str                   # http://127.0.0.1:PORT
    process: subprocess.Popen[str]


@contextmanager
def endpoint_process(*args: str) -> Iterator[Endpoint]:
    """``policy-explorer endpoint --port 0 ARGS`` as a real process, until the block ends."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
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
