"""The exported HTML graph in Debian chromium, from file:// with every network request refused:
it draws the graph on its own and inside an <iframe>."""

from __future__ import annotations

from pathlib import Path

from explorer.exporting import export
from tests.browser_support import Watch, launch_chromium

READY_TIMEOUT_MS = 30_000


def _wait_ready(frame) -> None:
    """Poll window.graphReady (the page's CSP forbids the eval wait_for_function would need)."""
    for _ in range(READY_TIMEOUT_MS // 100):
        if frame.evaluate("() => window.graphReady === true"):
            return
        frame.wait_for_timeout(100)
    raise AssertionError("the graph never finished drawing")


def _write_export(store: object, folder: Path) -> tuple[Path, int]:
    result = export(store, "html", policy="338", height="600px")
    path = folder / "graph.html"
    path.write_text(result.files[0].text, encoding="utf-8")
    return path, result.nodes


def test_html_draws_offline_from_a_file(export_store, tmp_path):
    path, nodes = _write_export(export_store, tmp_path)
    with launch_chromium() as browser:
        page = browser.new_page()
        watch = Watch(page)
        page.goto(path.as_uri())
        _wait_ready(page)
        assert page.evaluate("() => window.network.body.data.nodes.length") == nodes
        canvas = page.locator("canvas").first
        box = canvas.bounding_box()
        assert box is not None and box["height"] > 500
        watch.assert_clean()


def test_html_draws_inside_an_iframe(export_store, tmp_path):
    path, nodes = _write_export(export_store, tmp_path)
    host = tmp_path / "host.html"
    host.write_text('<!doctype html><html><body><h1>Intranet page</h1>'
                    '<iframe id="g" src="graph.html" width="900" height="650"></iframe></body></html>',
                    encoding="utf-8")
    with launch_chromium() as browser:
        page = browser.new_page()
        watch = Watch(page)
        page.goto(host.as_uri())
        frame = page.frame_locator("#g")
        frame.locator("canvas").first.wait_for(timeout=30_000)
        inner = next(f for f in page.frames if f.url.endswith("graph.html"))
        _wait_ready(inner)
        assert inner.evaluate("() => window.network.body.data.nodes.length") == nodes
        watch.assert_clean()
