"""The explorer in Debian chromium: coverage check, graph drawn in its iframe, an export downloaded,
and not one request that failed or left the machine."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser_support import Watch, launch_chromium

pytestmark = pytest.mark.browser

GRAPH_READY_JS = """() => {
  const n = window.network;
  if (!n || !window.graphReady) { return 0; }
  return n.body.data.nodes.length;
}"""

CANVAS_INKED_JS = """() => {
  const canvas = document.querySelector('#mynetwork canvas');
  if (!canvas || !canvas.width || !canvas.height) { return 0; }
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) { inked++; }
  }
  return inked;
}"""


def _graph_frame(page: Any, timeout_s: float = 30.0) -> Any:
    """The frame whose page defines the vis ``network`` object, once it has settled."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame is page.main_frame:
                continue
            try:
                if frame.evaluate(GRAPH_READY_JS) > 0:
                    return frame
            except Exception:  # noqa: BLE001 (frame navigating or detached while polled)
                pass
        page.wait_for_timeout(250)  # not time.sleep: Playwright must keep serving the route handler
    page.screenshot(path="/tmp/graph-failure.png")
    pytest.fail("the evidence graph was not drawn inside an iframe")


def test_coverage_graph_and_export_with_no_network(app_url: str, tmp_path: Any) -> None:
    with launch_chromium() as browser:
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        watch = Watch(page, allowed_prefixes=(app_url,))
        outside: list[str] = []
        page.on("request", lambda r: None if watch.allows(r.url) else outside.append(r.url))

        # 1. a coverage check: the form (code 38242 and C92.10 are its defaults), then the button
        page.goto(app_url + "coverage?product=Medicare+PPO+Blue&setting=outpatient")
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Check coverage").click(timeout=60_000)
        page.get_by_text("Medically necessary", exact=False).first.wait_for(timeout=30_000)
        assert "code=38242" in page.url and "dx=C92.10" in page.url

        # 2. the card's link to the evidence graph of that diagnosis (moving within the app, as a
        #    user does, so no load is cut short): the vis network in the iframe, its canvas inked
        page.get_by_role("link", name="See these statements and their evidence in the graph").click()
        frame = _graph_frame(page)
        assert "disease=chronic-myeloid-leukemia" in page.url
        assert frame.evaluate(GRAPH_READY_JS) == 22
        assert frame.evaluate(CANVAS_INKED_JS) > 500
        assert "20381970" in frame.content()

        # 3. an export: the seed policy as Turtle (named in the link: the bundle's first policy is
        #    another payer's)
        page.goto(app_url + "exports?policy=338")
        button = page.get_by_role("button", name="Download Turtle")
        button.wait_for(timeout=30_000)
        with page.expect_download(timeout=30_000) as info:
            button.click()
        target = tmp_path / "policy-338.ttl"
        info.value.save_as(target)
        text = target.read_text(encoding="utf-8")
        assert "@prefix" in text and "20381970" in text

        assert "exports" in page.url and "policy=338" in page.url and "format=ttl" in page.url
        page.wait_for_load_state("networkidle")
        assert not outside, f"requests that left the machine: {outside}"
        assert not watch.failed, f"failed requests: {watch.failed}"
        assert not watch.blocked and not watch.errors and not watch.dialogs, (
            watch.blocked, watch.errors, watch.dialogs)
        context.close()
