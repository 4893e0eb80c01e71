"""Driving Debian's chromium through Playwright, with the network shut and errors collected.

A plain module (not a conftest) so every test folder can import it::

    from tests.browser_support import launch_chromium, Watch

    with launch_chromium() as browser:
        page = browser.new_page()
        watch = Watch(page)                       # no network; errors, dialogs, refused requests
        page.goto(path.as_uri())
        ...
        watch.assert_clean()

Never runs ``playwright install``: the browser is ``/usr/bin/chromium`` (``apt-get install -y
chromium``). Without it the test is skipped, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"

#: Launch arguments: headless, sandbox off (root in a container), and none of chromium's own
#: background traffic (updates, sync, QUIC, first-run pings).
LAUNCH_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)

#: URL schemes that never leave the machine.
LOCAL_SCHEMES: tuple[str, ...] = ("file:", "data:", "about:", "blob:")


def chromium_path() -> str:
    """The chromium executable, or skip (fail under CI) when it is not installed."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    message = "Debian chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def launch_chromium(args: Sequence[str] = ()) -> Iterator[Any]:
    """A headless chromium Browser (Playwright sync API), closed on exit."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=[*LAUNCH_ARGS, *args]
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """Shuts the network for ``page`` and records what went wrong.

    Every request is aborted unless its URL uses a local scheme or starts with one of
    ``allowed_prefixes`` (e.g. ``http://127.0.0.1:8501/`` for an app under test). Recorded:
    ``blocked`` (requests refused here), ``failed`` (requests that failed), ``errors`` (uncaught
    page exceptions), ``console_errors`` and ``dialogs`` (alert/confirm/prompt, dismissed: a
    dialog means some text was executed).
    """

    page: Any
    allowed_prefixes: tuple[str, ...] = ()
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)

    def allows(self, url: str) -> bool:
        return url.startswith(LOCAL_SCHEMES) or url.startswith(self.allowed_prefixes)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if self.allows(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        """Fail if anything was blocked, failed, thrown, logged as an error or popped a dialog."""
        problems = {
            "blocked requests": self.blocked,
            "failed requests": self.failed,
            "page errors": self.errors,
            "console errors": self.console_errors,
            "dialogs": self.dialogs,
        }
        found = {k: v for k, v in problems.items() if v}
        assert not found, f"browser problems: {found}"
