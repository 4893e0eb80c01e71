"""`policy-explorer ingest` collects files, folders and globs of .txt .md .pdf .html .htm, in real
processes: dot-entries are skipped only below the folder named (issue 11: `../x`, `.hidden/`,
a package under `.venv` ingested nothing), and /dev/zero cannot make it read forever."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.pipeline import document_paths

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
HTML = FIXTURES / "html" / "bcbsma-338-donor-lymphocyte-infusion.html"
PDF = FIXTURES / "pdf" / "bcbsma-338-donor-lymphocyte-infusion.pdf"


def cli(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """A real ``policy-explorer`` process (the installed entry point's module), in ``cwd``."""
    return subprocess.run([sys.executable, "-m", "explorer.cli.main", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def ingest(*paths: str, cwd: Path, store: Path) -> subprocess.CompletedProcess[str]:
    return cli("ingest", *paths, "--no-reason", "-q", "--store", f"oxigraph:{store}", cwd=cwd)


def listed(store: Path, cwd: Path) -> list[str]:
    out = cli("list", "--format", "json", "--store", f"oxigraph:{store}", cwd=cwd)
    return [p["number"] for p in json.loads(out.stdout)]


def test_dev_zero_is_refused_at_the_limit_not_read_forever(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = cli("ingest", "/dev/zero", "--no-reason", "--store", f"oxigraph:{tmp_path / 'store'}", cwd=tmp_path,
                 timeout=60)
    assert result.returncode == 2
    assert "/dev/zero" in result.stderr and "limit" in result.stderr and "Traceback" not in result.stderr


def test_a_parent_relative_folder_is_ingested(tmp_path, seed_web_path):
    """Regression (issue 11): `ingest ../x` ingested nothing: '..' starts with a dot."""
    (tmp_path / "x").mkdir()
    shutil.copy(seed_web_path, tmp_path / "x")
    (tmp_path / "work").mkdir()
    result = ingest("../x", cwd=tmp_path / "work", store=tmp_path / "store")
    assert result.returncode == 0 and "1 ingested, 0 failed" in result.stdout, result.stderr
    assert listed(tmp_path / "store", tmp_path) == ["338"]


def test_a_folder_under_a_hidden_folder_is_ingested_but_dot_entries_below_it_are_not(tmp_path, seed_web_path):
    """Regression (issue 11): a folder under `.hidden/` ingested nothing."""
    folder = tmp_path / ".hidden" / "policies"
    (folder / ".git").mkdir(parents=True)
    shutil.copy(seed_web_path, folder)
    (folder / ".git" / "broken.txt").write_text("not a policy\n", encoding="utf-8")
    (folder / ".draft.txt").write_text("not a policy either\n", encoding="utf-8")
    result = ingest(str(folder), cwd=tmp_path, store=tmp_path / "store")
    assert result.returncode == 0 and "1 ingested, 0 failed" in result.stdout, result.stdout + result.stderr


def test_bundled_data_installed_under_a_venv_is_ingested(tmp_path, seed_web_path):
    """Regression (issue 11): a wheel installed in `.venv` started the app with no bundled policies
    (the seed stands for the bundle: the folder's place is what is tested)."""
    site = tmp_path / "project" / ".venv" / "lib" / "python3.11" / "site-packages"
    data = site / "explorer" / "_resources" / "data" / "policies"
    data.mkdir(parents=True)
    shutil.copy(seed_web_path, data)
    result = ingest(str(data), cwd=tmp_path, store=tmp_path / "store")
    assert result.returncode == 0 and "1 ingested, 0 failed" in result.stdout, result.stdout + result.stderr
    code = ("import sys; from explorer import open_corpus; from explorer.pipeline import list_policies; "
            "print([p.number for p in list_policies(open_corpus([sys.argv[1]]))])")
    out = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert out.stdout.strip() == "['338']", out.stderr


def test_a_quoted_glob_is_expanded_by_the_program(tmp_path):
    docs = tmp_path / "docs"
    (docs / "web" / "2024").mkdir(parents=True)
    (docs / "print").mkdir()
    shutil.copy(HTML, docs / "web" / "2024" / "policy-338.html")
    shutil.copy(PDF, docs / "print" / "policy-338.pdf")
    (docs / "web" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    store = tmp_path / "store"
    result = ingest("docs/**/*.html", cwd=tmp_path, store=store)
    assert result.returncode == 0 and "1 ingested, 0 failed" in result.stdout, result.stdout + result.stderr
    show = json.loads(cli("show", "338", "--format", "json", "--store", f"oxigraph:{store}", cwd=tmp_path).stdout)
    source = show["policy"]["source"]
    assert source["name"] == source["path"] == "policy-338.html" and source["media_type"] == "text/html"
    assert len(source["original_sha256"]) == 64 and source["original_sha256"] != source["sha256"]
    result = ingest("docs/print/*.pdf", cwd=tmp_path, store=store)
    assert "1 ingested, 0 failed" in result.stdout, result.stdout + result.stderr


def test_a_glob_matching_nothing_is_reported(tmp_path):
    result = ingest("nowhere/*.pdf", cwd=tmp_path, store=tmp_path / "store")
    assert result.returncode == 2 and "nowhere/*.pdf" in result.stderr and "Traceback" not in result.stderr


def test_document_paths_collects_every_format_once_and_sorted(tmp_path):
    for name in ("b.PDF", "a.htm", "c.md", "d.txt", "e.html", "skip.csv", ".hidden.txt", "sub/f.txt", ".git/g.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = document_paths([tmp_path, tmp_path / "d.txt", tmp_path / "skip.csv"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.htm", "b.PDF", "c.md", "d.txt", "e.html", "sub/f.txt", "skip.csv"]  # a file named is taken as is
