"""A new user's first hour (issue 14 items 5-7): a fresh HOME, redirected output, --store everywhere,
the README's defaults, and one Turtle export whichever face made it."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def fresh_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fresh") / "home"
    home.mkdir()
    assert not (home / ".local").exists()
    return home


@pytest.fixture(scope="module")
def readme_ingest(fresh_home: Path) -> subprocess.CompletedProcess[str]:
    """The README's `policy-explorer ingest data/policies` on a fresh HOME, once for the module (the
    Turtle comparison below reads the store it makes)."""
    return subprocess.run([*CLI, "ingest", "data/policies", "-q"], cwd=ROOT, env=_env(fresh_home),
                          capture_output=True, text=True, timeout=600)


def _default_store(home: Path) -> Path:
    return home / ".local" / "share" / "policy-explorer" / "store"


# Dated versions of one policy in the bundle (tests/fixtures/README-real.md): the newer file is
# ingested after the older one and replaces it, so the store holds the newer version.
NEWEST = {"051": "molina-MCP-051-genetic-testing.2026-03-22.txt",
          "MP360": "geisinger-MP360-minimal-residual-disease.2026-03-22.txt",
          "CAM 273": "bcbssc-liquid-biopsy.2026-03-22.txt",
          "MOL.TS.194.A": "evicore-MOL.TS.194-liquid-biopsy.2026.txt",
          "90.2": "cms-NCD-90.2-next-generation-sequencing.2026-03-22.txt"}


def test_default_store_on_a_fresh_home_is_created_with_its_folders(
    fresh_home: Path, readme_ingest: subprocess.CompletedProcess[str], bundled_dir: Path
) -> None:
    """The README's `ingest data/policies && list` where ~/.local/share does not exist yet: every
    bundled document lands, and every catalog query runs on the corpus, giving the seed's rows for
    the seed as on the seed alone."""
    sources = json.loads((bundled_dir / "SOURCES.json").read_text(encoding="utf-8"))
    env = _env(fresh_home)
    ingest = readme_ingest
    assert ingest.returncode == 0, ingest.stderr
    assert "No such file or directory" not in ingest.stderr
    assert ingest.stdout.rstrip().endswith(f"\n{len(sources)} ingested, 0 failed") and len(sources) >= 30
    store_path = _default_store(fresh_home)
    assert store_path.is_dir()
    listing = subprocess.run([*CLI, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert listing.returncode == 0 and "\t338\t" in listing.stdout
    assert len({line.split("\t")[0] for line in listing.stdout.splitlines()[1:]}) == len({s["payer"] for s in sources})
    for number, name in NEWEST.items():
        shown = run("show", number, "--format", "json", store=f"oxigraph:{store_path}")
        assert json.loads(shown.stdout)["policy"]["source"]["name"] == name
    _catalog_runs_on(f"oxigraph:{store_path}")


def _catalog_runs_on(url: str) -> None:
    from explorer.query.catalog import load_query_file
    from explorer.query.runner import run_query
    from explorer.store import open_store
    from tests.queries.conftest import EXPECTED, QUERIES, rows_as_text

    with open_store(url) as store:
        for path in sorted(EXPECTED.glob("*.json")):
            expected = json.loads(path.read_text(encoding="utf-8"))
            result = run_query(store, load_query_file(QUERIES / f"{path.stem}.rq"), expected["params"])
            assert list(result.columns) == expected["columns"] and not result.truncated, path.stem
            if "policy" in result.columns:   # one policy's rows do not depend on the others
                at = result.columns.index("policy")
                rows = [r for r in rows_as_text(result) if r[at] == "338"]
                assert rows == [r for r in expected["rows"] if r[at] == "338"], path.stem


def test_store_folder_that_cannot_be_made_is_one_line_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("list", store=f"oxigraph:{blocker / 'sub' / 'store'}")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_progress_goes_to_stderr_not_into_redirected_output(tmp_path: Path, seed_web_path: Path) -> None:
    """stderr a terminal (the bar shows there), stdout redirected: stdout is the table only."""
    main, secondary = pty.openpty()
    try:
        done = subprocess.run([*CLI, "ingest", str(seed_web_path), "--no-reason",
                               "--store", f"oxigraph:{tmp_path / 's'}"],
                              cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=secondary, timeout=300)
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


@pytest.mark.parametrize(("policy", "document"), [("338", "bcbsma-338-donor-lymphocyte-infusion.txt"),
                                                  ("MP360", "geisinger-MP360-minimal-residual-disease.2026-03-22.txt")])
def test_app_and_cli_turtle_exports_are_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: str,
                                                   document: str, fresh_home: Path,
                                                   readme_ingest: subprocess.CompletedProcess[str]) -> None:
    """The same bundled policies, ingested by the CLI on disk and by the app in memory, export the same
    Turtle: file names, never a machine's path (pol:filePath is gone). Two policies, not the whole
    corpus: its Turtle takes a minute to write twice."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from tests.app.conftest import open_app

    assert readme_ingest.returncode == 0, readme_ingest.stderr
    cli = run("export", policy, "--format", "ttl", store=f"oxigraph:{_default_store(fresh_home)}")
    assert cli.exit_code == 0, cli.stderr

    kept: list[MemoryMediaFileStorage] = []

    def storage(prefix: str) -> MemoryMediaFileStorage:   # keep the app's download files readable
        kept.append(MemoryMediaFileStorage(prefix))
        return kept[-1]

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", storage)
    monkeypatch.delenv("POLICY_EXPLORER_STORE", raising=False)
    from explorer.corpus_cache import open_cached_corpus

    open_cached_corpus().store.close()   # a first build of the cache outside the page run's time limit
    at = open_app("exports", {"policy": policy, "format": "ttl"})
    assert not at.exception
    name = at.get("download_button")[0].proto.url.rsplit("/", 1)[-1]
    app = kept[-1].get_file(name).content.decode("utf-8")

    assert "pol:filePath" not in app and "pol:filePath" not in cli.stdout
    assert f'pol:fileName "{document}"' in app
    assert str(ROOT) not in app and str(tmp_path) not in cli.stdout
    assert app == cli.stdout
