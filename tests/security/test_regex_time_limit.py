"""Issue 11, medium: a catastrophic regular expression stops at the time limit on ``memory:``.

rdflib evaluates ``REGEX`` with Python's ``re``, which holds the GIL for the whole match, so the
thread watchdog never ran: ``REGEX(?x, "(a+)+$")`` on 30 characters ran 62 s with ``--timeout 2``
and froze a thread-isolated endpoint for every other client. rdflib-store queries now run in a
forked child that is killed at the deadline, whatever isolation was asked for.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

from tests.endpoint.http import get_query
from tests.security.live import endpoint_process

#: 2^30 backtracking steps in Python's re: minutes of one core with the GIL held.
CATASTROPHIC = 'SELECT ?x WHERE { BIND("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?x) FILTER REGEX(?x, "(a+)+$") }'
GRACE_S = 15.0  # a guard against hanging, not a benchmark


def test_catastrophic_regex_stopped_by_cli_time_limit():
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "explorer.cli.main", "query", "--store", "memory:",
                                 "--text", CATASTROPHIC, "--timeout", "2"],
                                capture_output=True, text=True, timeout=GRACE_S + 15)
    except subprocess.TimeoutExpired:
        raise AssertionError("the query ran on far past its 2 s time limit") from None
    assert time.monotonic() - started < GRACE_S
    assert result.returncode == 2
    assert "exceeded the time limit of 2 s" in result.stderr and "Traceback" not in result.stderr


def test_catastrophic_regex_does_not_freeze_a_thread_isolated_endpoint():
    """One client sends the regex; another client's query is answered meanwhile, and the regex
    client gets its 503 at the time limit."""
    with endpoint_process("--store", "memory:", "--isolation", "thread", "--timeout", "2") as served:
        replies: dict[str, object] = {}

        def attack() -> None:
            replies["attack"] = get_query(served.url, CATASTROPHIC)

        thread = threading.Thread(target=attack, daemon=True)
        started = time.monotonic()
        thread.start()
        time.sleep(0.5)  # the regex is running now
        other = get_query(served.url, "ASK { }")
        other_s = time.monotonic() - started
        thread.join(GRACE_S)
        assert not thread.is_alive(), "the regex query ran on far past its time limit"
        assert other.status == 200 and json.loads(other.body)["boolean"] is True
        assert other_s < 2.0 + 3.0, f"another client waited {other_s:.1f} s"
        attack_reply = replies["attack"]
        assert attack_reply.status == 503 and "time limit" in attack_reply.text  # type: ignore[attr-defined]
