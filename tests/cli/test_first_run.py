"""A new user's first hour (issue 14 items 5-7): a fresh HOME, redirected output, --store everywhere,
the README's defaults, and one Turtle export whichever face made it."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cliutil import run
from tests.conftest import ROOT

CLI = [sys.executable, "-m", "explorer.cli.main"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICY_EXPLORER_", "XDG_"))}
    env["HOME"] = str(home)
    return env


@pytest.fixture()
def fresh_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    assert not (home / ".local").exists()
    return home


def test_default_store_on_a_fresh_home_is_created_with_its_folders(fresh_home: Path) -> None:
    """`ingest data/policies` without --store where ~/.local/share does not exist yet."""
    env = _env(fresh_home)
    ingest = subprocess.run([*CLI, "ingest", "data/policies", "-q"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    assert "No such file or directory" not in ingest.stderr
    assert (fresh_home / ".local" / "share" / "policy-explorer" / "store").is_dir()
    listing = subprocess.run([*CLI, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert listing.returncode == 0 and "\n338\t" not in listing.stdout and "338" in listing.stdout


def test_store_folder_that_cannot_be_made_is_one_line_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("list", store=f"oxigraph:{blocker / 'sub' / 'store'}")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_progress_goes_to_stderr_not_into_redirected_output(tmp_path: Path) -> None:
    """stderr a terminal (the bar shows there), stdout redirected: stdout is the table only."""
    main, secondary = pty.openpty()
    try:
        done = subprocess.run([*CLI, "ingest", "data/policies", "--no-reason", "--store", f"oxigraph:{tmp_path / 's'}"],
                              cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=secondary,
                              timeout=300)
    finally:
        os.close(secondary)
        os.close(main)
    out = done.stdout.decode()
    assert done.returncode == 0
    assert out.startswith("document\t"), repr(out[:80])
    assert "\x1b[" not in out


def test_every_command_takes_store(seed_store: Path) -> None:
    from explorer.cli.main import cli

    for name, command in cli.commands.items():
        if name == "bench":       # measures throwaway stores of its own making (README "Development")
            continue
        assert any("--store" in p.opts for p in command.params), name
    result = run("queries", store=seed_store)
    assert result.exit_code == 0 and "evidence-for-disease" in result.stdout


def test_readme_timeout_default_is_the_code_default() -> None:
    from explorer.query.limits import DEFAULT_TIMEOUT_S

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"`--timeout SECONDS` \(default (\d+)\)", readme)
    assert stated is not None and float(stated.group(1)) == DEFAULT_TIMEOUT_S
    help_text = run("query", "--help").stdout
    assert f"default {DEFAULT_TIMEOUT_S:g}" in " ".join(help_text.split())


@pytest.mark.parametrize("policy", ["338", None], ids=["policy", "corpus"])
def test_app_and_cli_turtle_exports_are_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   policy: str | None) -> None:
    """The same bundled policies, ingested by the CLI on disk and by the app in memory, export the same
    Turtle: file names, never a machine's path (pol:filePath is gone)."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from tests.app.conftest import open_app

    store = tmp_path / "store"
    assert run("ingest", str(ROOT / "data" / "policies"), "-q", store=f"oxigraph:{store}").exit_code == 0
    cli = run("export", *([policy] if policy else []), "--format", "ttl", store=f"oxigraph:{store}")
    assert cli.exit_code == 0, cli.stderr

    kept: list[MemoryMediaFileStorage] = []

    def storage(prefix: str) -> MemoryMediaFileStorage:   # keep the app's download files readable
        kept.append(MemoryMediaFileStorage(prefix))
        return kept[-1]

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", storage)
    monkeypatch.delenv("POLICY_EXPLORER_STORE", raising=False)
    at = open_app("exports", {"policy": policy or "(all policies)", "format": "ttl"})
    assert not at.exception
    name = at.get("download_button")[0].proto.url.rsplit("/", 1)[-1]
    app = kept[-1].get_file(name).content.decode("utf-8")

    assert "pol:filePath" not in app and "pol:filePath" not in cli.stdout
    assert 'pol:fileName "bcbsma-338-donor-lymphocyte-infusion.txt"' in app
    assert str(ROOT) not in app and str(tmp_path) not in cli.stdout
    assert app == cli.stdout
