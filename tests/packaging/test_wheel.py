"""A non-editable install finds its ontology, vocabularies, queries and bundled policies."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_installed_wheel_runs_the_cli_on_its_bundled_resources(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    resources = target / "explorer" / "_resources"
    assert (resources / "ontology" / "policy.ttl").is_file()
    assert (resources / "data" / "vocab" / "diseases.ttl").is_file()
    assert any((resources / "queries").glob("*.rq"))
    assert (resources.parent / "app" / "queries" / "policy-topics.rq").is_file()
    # every bundled document is in the wheel, byte for byte
    sources = json.loads((ROOT / "data" / "policies" / "SOURCES.json").read_text(encoding="utf-8"))
    for source in sources:
        shipped = resources / "data" / "policies" / source["file"]
        assert hashlib.sha256(shipped.read_bytes()).hexdigest() == source["file_sha256"], source["file"]
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = (  # the seed alone: ingesting the whole bundle here would only repeat tests/cli/test_first_run.py
        "import explorer.resources as r, sys; "
        "print(r.resource_root()); "
        "from explorer.cli.main import main; "
        "sys.argv=['policy-explorer','ingest',str(r.policies_dir() / 'bcbsma-338-donor-lymphocyte-infusion.txt'),"
        f"'-q','--no-reason','--store','oxigraph:{tmp_path / 'store'}']; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert str(resources) in run.stdout and "1 ingested, 0 failed" in run.stdout
