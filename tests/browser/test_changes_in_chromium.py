"""The Policies page's "What changed" section in Debian chromium, on the bundled corpus (which
keeps Molina MCP-051's 2025-02-12 version beside the current 2026-02-11 one): the tabs and the row
of a code only the older version lists."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_policies_in_chromium import _cells
from tests.browser_support import Watch, launch_chromium

pytestmark = pytest.mark.browser


def test_what_changed_renders_its_tables(app_url: str) -> None:
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch = Watch(page, allowed_prefixes=(app_url,))
        page.goto(app_url + "?policy=051")
        page.get_by_text("What changed", exact=True).wait_for(timeout=90_000)
        page.get_by_text("From version 2025-02-12 to version 2026-02-11", exact=False).wait_for(timeout=60_000)
        # the tabs are drawn one by one: wait for the last before reading them (under load the
        # names were read while only two of the five existed)
        page.get_by_role("tab", name=re.compile(r"^Title and dates")).wait_for(timeout=60_000)
        tabs = page.get_by_role("tab")
        names = [tabs.nth(i).inner_text() for i in range(tabs.count())]
        assert [n.split(" (")[0] for n in names] == ["Statements", "Codes", "References", "History", "Title and dates"]
        page.get_by_role("tab", name=next(n for n in names if n.startswith("Codes"))).click()
        # the data grid draws on a canvas: its cells are read through the accessible table it mirrors
        # (the rows in view: the codes removed come first, 0033U is printed only in the older version)
        cells = _cells(page, "CPT 0033U")
        assert "removed" in cells
        assert not watch.blocked and not watch.errors and not watch.dialogs, (watch.blocked, watch.errors)
