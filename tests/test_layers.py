"""The house keeps its shape: no import crosses a layer the wrong way (read with ``ast``, so a
function-level import counts as much as a module-level one)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "explorer"

#: package -> packages/modules it must never import (every direction that would turn the house upside
#: down); the top-level use-case modules (pipeline, exporting, corpus_cache) sit above every package but
#: the faces (app, cli) and bench
USE_CASES = {"pipeline", "pipeline_bulk", "exporting", "corpus_cache"}
FACES = {"app", "cli", "endpoint", "bench"}
FORBIDDEN = {
    "vocab": {"ingest", "model", "store", "query", "determination", "render"} | FACES | USE_CASES,
    "sparql": {"ingest", "model", "store", "query", "determination", "render"} | FACES | USE_CASES,
    "read": {"ingest", "model", "store", "query", "determination", "render"} | FACES | USE_CASES,
    "ingest": {"model", "store", "query", "determination", "render"} | FACES | USE_CASES,
    "store": {"query", "determination", "render"} | FACES | USE_CASES,
    "model": {"store", "query", "determination", "render"} | FACES | USE_CASES,
    "reason": {"store", "query", "determination", "render"} | FACES | USE_CASES,
    "validate": {"store", "query", "determination", "render"} | FACES | USE_CASES,
    "diagnoses": {"ingest", "store", "query", "determination", "render"} | FACES | USE_CASES,
    "query": {"determination", "render"} | FACES | USE_CASES,
    "determination": {"render"} | FACES | USE_CASES,
    "versions": {"query", "determination", "render"} | FACES | USE_CASES,
    "render": {"app", "cli", "endpoint", "bench"} | USE_CASES,
    "endpoint": {"app", "cli", "bench"} | USE_CASES,
    "bench": {"app", "cli", "endpoint"},
    "app": {"cli", "endpoint", "bench"},
}


def _imports(path: Path) -> set[str]:
    """The first-level explorer packages a module imports (``explorer.store.x`` -> ``store``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "explorer":  # "from explorer import store"
                names += [f"explorer.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "explorer" and len(parts) > 1:
                out.add(parts[1])
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_crosses_a_layer_the_wrong_way(package: str) -> None:
    crossings = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        for target in _imports(path) & FORBIDDEN[package]:
            crossings.append(f"{path.relative_to(PACKAGE.parent)} imports explorer.{target}")
    assert not crossings, crossings


def test_the_rule_sees_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: a function-level import of the store from ingest is found."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from explorer.store.base import PolicyStore\n    return PolicyStore\n")
    assert _imports(module) == {"store"}
