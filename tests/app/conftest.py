"""AppTest helpers: open the explorer on one page with given query parameters (a permalink)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import explorer.app

MAIN = Path(explorer.app.__file__).resolve().parent / "main.py"

PAGES = {
    "policies": "views/policies.py",
    "coverage": "views/coverage.py",
    "graph": "views/graph.py",
    "workbench": "views/sparql.py",
    "ontology": "views/ontology.py",
    "exports": "views/exports.py",
}


def open_app(page: str = "policies", params: Mapping[str, str | list[str]] | None = None) -> AppTest:
    """The app after its first run on ``page``, as a pasted link with ``params`` would show it."""
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    if page != "policies":
        at.switch_page(PAGES[page])
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    return at


@pytest.fixture(autouse=True)
def _seed_store(monkeypatch: pytest.MonkeyPatch, app_seed_store: str) -> None:
    """The app on a store holding the seed alone (tests/conftest.py), so each page's answers are the
    seed's; tests of the bundled corpus take ``bundled_app``."""
    monkeypatch.setenv("POLICY_EXPLORER_STORE", app_seed_store)


@pytest.fixture(scope="session")
def _bundled_cache() -> None:
    """Build (or check) the bundled corpus's on-disk cache once, before any page opens on it: a first
    build takes longer than a page run's time limit on a busy machine."""
    from explorer.corpus_cache import open_cached_corpus

    opened = open_cached_corpus()
    assert not opened.failed, opened.failed
    opened.store.close()


@pytest.fixture
def bundled_app(monkeypatch: pytest.MonkeyPatch, _bundled_cache: None) -> Callable[..., AppTest]:
    """``open_app`` on the app's default store: the bundled corpus in memory, from its on-disk cache."""
    monkeypatch.delenv("POLICY_EXPLORER_STORE", raising=False)
    return open_app


@pytest.fixture
def app() -> Callable[..., AppTest]:
    return open_app


def assert_clean(at: AppTest) -> None:
    """No exception and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def iframe_html(at: AppTest) -> str:
    frames = at.get("iframe")
    assert len(frames) == 1, "expected one iframe"
    return frames[0].proto.srcdoc


def url_params(at: AppTest) -> dict[str, list[str]]:
    """The app's query parameters, every value as a list."""
    return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in at.query_params.items()}
