"""Bad input through the CLI: exit code 2, one clear line, no traceback, the store unchanged."""

from __future__ import annotations

import json

from tests.cliutil import run


def _snapshot(store):
    return run("export", "--format", "nq", "--inferred", store=store).stdout


def test_bad_files_fail_alone_and_leave_the_store_unchanged(tmp_path, seed_web_path, seed_store):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Politique m\xe9dicale\n".encode("latin-1"))
    (folder / "not-a-policy.txt").write_text("Shopping list\n- eggs\n", encoding="utf-8")
    before = _snapshot(seed_store)
    result = run("ingest", str(folder), "-q", store=seed_store)
    assert result.exit_code == 2
    assert "0 ingested, 3 failed" in result.stdout
    for name in ("empty.txt", "latin1.txt", "not-a-policy.txt"):
        assert name in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert _snapshot(seed_store) == before


def test_one_bad_file_does_not_stop_the_others(tmp_path, seed_web_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-good.txt").write_text(seed_web_path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b-bad.txt").write_text("nothing here\n", encoding="utf-8")
    store = f"oxigraph:{tmp_path / 'store'}"
    result = run("ingest", str(folder), "-q", "--no-reason", store=store)
    assert result.exit_code == 2 and "1 ingested, 1 failed" in result.stdout and "b-bad.txt" in result.stderr
    assert [p["number"] for p in json.loads(run("list", "--format", "json", store=store).stdout)] == ["338"]


def test_unknown_policy_is_a_clear_error(seed_store):
    result = run("show", "999", store=seed_store)
    assert result.exit_code == 2 and "no policy '999'" in result.stderr and "338" in result.stderr


def test_missing_path_is_a_clear_error(tmp_path):
    result = run("ingest", str(tmp_path / "nope.txt"), store=f"oxigraph:{tmp_path / 's'}")
    assert result.exit_code == 2 and "nope.txt" in result.stderr


def test_broken_store_url(tmp_path):
    result = run("list", store="ftp://example.org/x")
    assert result.exit_code == 2 and "ftp://example.org/x" in result.stderr


def test_truncated_document_lists_its_missing_sections_as_warnings(tmp_path, seed_web_path):
    text = seed_web_path.read_text(encoding="utf-8")
    cut = text.index("\nPolicy History\n")
    (tmp_path / "truncated.txt").write_text(text[:cut], encoding="utf-8")
    result = run("ingest", str(tmp_path / "truncated.txt"), "-q", "--no-reason", store=f"oxigraph:{tmp_path / 's'}")
    assert result.exit_code == 0 and "1 ingested, 0 failed" in result.stdout
    assert "optional section missing: policy-history" in result.stderr
