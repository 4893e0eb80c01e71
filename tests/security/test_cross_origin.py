"""Issue 11: with CORS ``*`` any web page the analyst visited could query the endpoint on their
machine and read the answers (and, with the bound-value splice, make it call other servers).
Now cross-origin access is a setting (``--cors-origin``), empty by default: a page on another
origin cannot read an answer, and its query text is refused (403) before anything runs.
A real endpoint process, real HTTP, and a real chromium page on another origin."""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Iterator

import pytest

from tests.endpoint.http import get_query, post_form, request
from tests.security.live import endpoint_process

QUERY = "SELECT ?n WHERE { ?p <https://w3id.org/policy-explorer/ontology#policyNumber> ?n } LIMIT 1"


@pytest.fixture(scope="module")
def store_url(seed_store, tmp_path_factory) -> str:
    import shutil

    copy = tmp_path_factory.mktemp("cors") / "store"
    shutil.copytree(seed_store, copy)
    return f"oxigraph:{copy}"


def test_query_text_from_another_origin_is_refused_by_default(store_url):
    with endpoint_process("--store", store_url) as served:
        for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                        {"Origin": "null"}, {"Origin": served.base + ".evil.example"}):
            reply = request(served.url, params={"query": QUERY}, headers=headers)
            assert reply.status == 403, (headers, reply.status)
            assert "Access-Control-Allow-Origin" not in reply.headers
            form = request(served.url, method="POST", headers={
                **headers, "Content-Type": "application/x-www-form-urlencoded"}, data=f"query={QUERY}".encode())
            assert form.status == 403
        # the endpoint's own home page form (same origin) and tools that are not browsers still work
        same = request(served.url, method="POST", headers={
            "Origin": served.base, "Sec-Fetch-Site": "same-origin",
            "Content-Type": "application/x-www-form-urlencoded"}, data=f"query={QUERY}".encode())
        assert same.status == 200
        assert get_query(served.url, QUERY).status == 200
        assert post_form(served.url, {"query": QUERY}).status == 200


def test_listed_origin_may_query_and_read(store_url):
    with endpoint_process("--store", store_url, "--cors-origin", "https://yasgui.example") as served:
        reply = request(served.url, params={"query": QUERY}, headers={"Origin": "https://yasgui.example"})
        assert reply.status == 200 and reply.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        other = request(served.url, params={"query": QUERY}, headers={"Origin": "https://other.example"})
        assert other.status == 403


ATTACK_PAGE = """<!doctype html><html><body><script>
window.results = {};
const query = %(query)s;
async function attempt(name, init, url) {
  try {
    const reply = await fetch(url, init);
    window.results[name] = reply.type === "opaque" ? "opaque" : "read:" + (await reply.text()).slice(0, 200);
  } catch (e) { window.results[name] = "error:" + e; }
}
(async () => {
  const endpoint = %(endpoint)s;
  const form = new URLSearchParams({query});
  await attempt("cors-get", {}, endpoint + "?query=" + encodeURIComponent(query));
  await attempt("cors-post", {method: "POST", body: form}, endpoint);
  await attempt("no-cors-post", {method: "POST", body: form, mode: "no-cors"}, endpoint);
  window.done = true;
})();
</script></body></html>"""


@pytest.fixture
def attacker_site(request) -> Iterator[tuple[str, list[str]]]:
    """A web server on another origin (another port) whose page tries to query the endpoint."""
    pages: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            body = pages[0].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", pages
    finally:
        server.shutdown()
        server.server_close()


def test_page_on_another_origin_cannot_query_in_chromium(store_url, attacker_site):
    from tests.browser_support import launch_chromium

    site, pages = attacker_site
    with endpoint_process("--store", store_url, "--verbose") as served:
        pages.append(ATTACK_PAGE % {"query": json.dumps(QUERY), "endpoint": json.dumps(served.url)})
        with launch_chromium() as browser:
            page = browser.new_page()
            page.goto(site)
            page.wait_for_function("window.done === true", timeout=30_000)
            results = page.evaluate("window.results")
        served.process.terminate()
        _, log = served.process.communicate(timeout=10)
    assert not any(str(v).startswith("read:") for v in results.values()), results
    assert "1" not in "".join(str(v) for v in results.values() if str(v).startswith("read:"))
    statuses = re.findall(r'"(?:GET|POST) /sparql[^"]*" (\d{3})', log)
    assert statuses and set(statuses) == {"403"}, log  # every request refused: nothing ran
