"""`serve`: run the Streamlit explorer (``explorer/app/main.py``) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from explorer.cli.common import STORE_ENV, fail, handle_errors, store_option


def app_path() -> Path:
    """The Streamlit entry script of the explorer."""
    import explorer.app

    return Path(explorer.app.__file__).resolve().parent / "main.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line for the explorer on ``host:port``, headless, no telemetry."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.headless", "true",
        "--server.address", host,
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@store_option
@handle_errors
def serve(host: str, port: int, store_url: str | None) -> None:
    """Open the explorer in a browser: policies, coverage check, evidence graph, SPARQL, ontology, exports.

    Without --store (or POLICY_EXPLORER_STORE) the app ingests the bundled policies into memory.
    """
    env = dict(os.environ)
    if store_url:
        env[STORE_ENV] = store_url
    click.echo(f"Policy Explorer on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        code = subprocess.call(streamlit_command(host, port), env=env)
    except KeyboardInterrupt:
        code = 0
    except OSError as exc:
        fail(f"cannot start streamlit: {exc}")
        return
    if code:
        sys.exit(code)


def register(cli: click.Group) -> None:
    cli.add_command(serve)
