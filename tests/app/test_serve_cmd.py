"""`policy-explorer serve` runs streamlit on the explorer's entry script."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from explorer.cli import serve_cmds
from explorer.cli.main import cli


def test_serve_runs_streamlit_headless_with_the_store(monkeypatch: Any) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(serve_cmds, "run_streamlit", lambda cmd, env: calls.append((cmd, env)) or 0)
    result = CliRunner().invoke(cli, ["serve", "--port", "8777", "--host", "127.0.0.1", "--store", "memory:"])
    assert result.exit_code == 0, result.output
    (cmd, env), = calls
    assert cmd[1:4] == ["-m", "streamlit", "run"]
    assert cmd[4].endswith("explorer/app/main.py")
    options = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert options == {"--server.headless": "true", "--server.address": "127.0.0.1", "--server.port": "8777",
                       "--browser.gatherUsageStats": "false"}
    assert env["POLICY_EXPLORER_STORE"] == "memory:"


def test_serve_exit_code_follows_streamlit(monkeypatch: Any) -> None:
    monkeypatch.setattr(serve_cmds, "run_streamlit", lambda cmd, env: 3)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 3


def test_app_entry_script_exists() -> None:
    assert serve_cmds.app_path().is_file()


def test_views_folder_is_not_named_pages() -> None:
    """Regression: a ``pages/`` folder beside main.py made Streamlit show its legacy page list
    (file names, wrong URLs) in the browser next to the st.navigation pages."""
    assert not (serve_cmds.app_path().parent / "pages").exists()
