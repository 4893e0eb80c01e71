"""Issue 11, low: deep nesting is accepted up to what real queries use, refused cleanly beyond.

The guard used to refuse at 30 nested parentheses or 40 braces (rdflib's parser hit Python's
default recursion limit). Measured: our catalog nests at most 5 deep; rdflib needs about 37 Python
frames per nested parenthesis and 26 per brace (parse, algebra and evaluation), so the guard
accepts 128 and raises the recursion limit to what that needs. Beyond 128 a query is refused by
an iterative count before any parser sees it: 10,000-deep nesting gets a one-line refusal, no
RecursionError and no crashed engine.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.query.limits import QueryLimits
from explorer.query.runner import run_query
from explorer.store import open_store


def parens(depth: int) -> str:
    return "SELECT ?x WHERE { BIND(1 AS ?x) FILTER(" + "(" * depth + "?x = 1" + ")" * depth + ") }"


def braces(depth: int) -> str:
    return "SELECT ?x WHERE " + "{ " * depth + "BIND(1 AS ?x)" + " }" * depth


def optionals(depth: int) -> str:
    return ("SELECT ?x WHERE { BIND(1 AS ?x) " + "OPTIONAL { BIND(2 AS ?y) " * depth + "}" * depth + " }")


SHAPES = {"parens": parens, "braces": braces, "optionals": optionals}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("store_url", ["memory:", "oxigraph:"])
def test_nesting_a_hundred_deep_runs(shape, store_url):
    text = SHAPES[shape](100)
    for isolation in ("thread", "process"):
        answer = run_query(open_store(store_url), text, limits=QueryLimits(timeout_s=60, isolation=isolation))
        assert len(answer.rows) == 1, (shape, store_url, isolation)


#: The deepest each shape gets within the 100,000-character limit on a query.
DEEPEST = {"parens": 10_000, "braces": 10_000, "optionals": 3_500}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_nesting_ten_thousand_deep_refused_cleanly(shape, tmp_path):
    for depth in (129, DEEPEST[shape]):  # just past the limit of 128, and the deepest that fits
        path = tmp_path / f"deep-{depth}.rq"
        path.write_text(SHAPES[shape](depth), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "explorer.cli.main", "query", "--store", "oxigraph:",
                                 "--file", str(path)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr[-500:]
        assert "nested" in result.stderr and "refused" in result.stderr
        assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
