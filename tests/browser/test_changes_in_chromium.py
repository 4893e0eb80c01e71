"""The Policies page's "What changed" section in Debian chromium: a server on a store that keeps
Molina MCP-051 in two real versions shows the tabs and the code only the newer version lists."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from explorer.cli.serve_cmds import streamlit_command
from tests.browser.conftest import _stop, _wait_healthy, free_port
from tests.browser.test_policies_in_chromium import _cells
from tests.browser_support import Watch, chromium_path, launch_chromium
from tests.cliutil import run
from tests.versions.conftest import PAIRS, POLICIES, keep_earlier_version

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def versions_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` of the explorer on a store of its own: Molina in two versions."""
    chromium_path()  # skip before building a store no browser would visit
    url = f"oxigraph:{tmp_path_factory.mktemp('chromium-versions') / 'store'}"
    result = run("ingest", str(POLICIES / PAIRS["molina"][1]), "-q", "--no-reason", store=url)
    assert result.exit_code == 0, result.output
    keep_earlier_version(url, POLICIES / PAIRS["molina"][0])
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("streamlit-versions") / "streamlit.log"
    env = {**os.environ, "POLICY_EXPLORER_STORE": url, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with log.open("wb") as out:
        proc = subprocess.Popen(streamlit_command("127.0.0.1", port), stdout=out, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True, cwd=tmp_path_factory.getbasetemp())
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        _stop(proc)


def test_what_changed_renders_its_tables(versions_app_url: str) -> None:
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch = Watch(page, allowed_prefixes=(versions_app_url,))
        page.goto(versions_app_url + "?policy=051")
        page.get_by_text("What changed", exact=True).wait_for(timeout=90_000)
        page.get_by_text("From version 2025-02-12 to version 2026-02-11", exact=False).wait_for(timeout=60_000)
        tabs = page.get_by_role("tab")
        names = [tabs.nth(i).inner_text() for i in range(tabs.count())]
        assert [n.split(" (")[0] for n in names] == ["Statements", "Codes", "References", "History", "Title and dates"]
        page.get_by_role("tab", name=next(n for n in names if n.startswith("Codes"))).click()
        # the data grid draws on a canvas: its cells are read through the accessible table it mirrors
        # (the rows in view: the codes removed come first, 0033U is printed only in the older version)
        cells = _cells(page, "CPT 0033U")
        assert "removed" in cells
        assert not watch.blocked and not watch.errors and not watch.dialogs, (watch.blocked, watch.errors)
