"""Issue 11: links are input from strangers. A permalink's numbers are validated (a bad one is one
line on the page, never a traceback with server paths), and a query in a link is shown, not run,
until the user presses Run; then it runs as written, its ``# param:`` defaults binding nothing."""

from __future__ import annotations

import pytest

from tests.app.conftest import assert_clean, open_app
from tests.security.conftest import recorder  # noqa: F401 - the loopback server that records hits
from tests.security.live import splice_query

BAD_NUMBERS = [("graph", "max", "²"), ("graph", "max", "abc"), ("graph", "max", "-5"),
               ("workbench", "timeout", "abc"), ("workbench", "timeout", "nan"), ("workbench", "timeout", "1e999"),
               ("workbench", "rows", "abc"), ("workbench", "rows", "²"), ("workbench", "rows", "9" * 40)]


@pytest.mark.parametrize(("page", "name", "value"), BAD_NUMBERS)
def test_bad_permalink_number_is_one_line_not_a_traceback(page, name, value):
    params = {name: value}
    if page == "workbench":
        params["query"] = "references"
    at = open_app(page, params)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    for box in at.warning:
        assert "\n" not in box.value and "Traceback" not in box.value and "/" not in box.value.split("'")[0]


def test_linked_query_waits_for_run_and_binds_no_header_default(recorder):  # noqa: F811
    at = open_app("workbench", {"query": "own", "sparql": splice_query(recorder.url)})
    assert not at.exception
    assert not at.dataframe  # shown, not run
    assert recorder.hits == []
    assert any("press Run" in box.value for box in at.info)
    at.button(key="wb_run").click().run()
    assert_clean(at)
    assert list(at.dataframe[0].value.columns) == ["r", "q"]  # the text as written
    assert recorder.hits == []
