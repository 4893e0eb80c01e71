"""The workbench draws one page of a long answer at a time (issue 15 items 3 and 7): the other rows
are counted, not converted or drawn; the pages together are the whole answer, in order."""

from __future__ import annotations

from tests.app.conftest import assert_clean, open_app

PAGE_ROWS = 100  # explorer/app/views/sparql.py

SPARQL = ("PREFIX pol: <https://w3id.org/policy-explorer/ontology#>\n"
          "SELECT ?s ?p ?o WHERE { ?s a pol:Reference ; ?p ?o } ORDER BY ?s ?p ?o")


def _rows(at) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [tuple(map(str, r)) for r in at.dataframe[0].value.itertuples(index=False)]


def test_a_long_answer_is_drawn_a_page_at_a_time() -> None:
    from explorer.app.state import get_store
    from explorer.query.runner import run_query

    at = open_app("workbench", {"query": "own", "sparql": SPARQL})
    at.button(key="wb_run").click().run()
    assert_clean(at)
    whole = [tuple(map(str, r)) for r in run_query(get_store(), SPARQL).rows]
    assert len(whole) > 2 * PAGE_ROWS  # the seed's 28 references, ten-odd triples each
    pages = [_rows(at)]
    assert at.caption[0].value.endswith(f"rows 1-{PAGE_ROWS} of {len(whole)}")
    last = -(-len(whole) // PAGE_ROWS)
    for number in range(2, last + 1):
        at.number_input(key="wb_page").set_value(number).run()
        assert_clean(at)
        pages.append(_rows(at))
    assert [r for page in pages for r in page] == whole
    assert len(pages[-1]) == len(whole) - (last - 1) * PAGE_ROWS


def test_another_query_starts_at_its_first_page() -> None:
    at = open_app("workbench", {"query": "own", "sparql": SPARQL})
    at.button(key="wb_run").click().run()
    at.number_input(key="wb_page").set_value(2).run()
    at.selectbox(key="wb_query").select("references").run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == 28
    assert at.caption[-1].value.endswith("rows 1-28 of 28")
    assert "wb_page" not in [w.key for w in at.number_input]  # one page: no page picker


def test_a_rerun_for_a_widget_reuses_the_answer_and_run_asks_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Streamlit reruns the page for every widget; the answer of the same question is kept (60 s),
    and Run asks the store again."""
    import explorer.query.runner as runner

    calls: list[str] = []
    real = runner.run_query

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(str(args[1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_query", counted)
    at = open_app("workbench", {"query": "references", "p.policy": "338", "rows": "777"})  # a question of its own
    assert len(calls) == 1
    at.toggle(key="wb_labels").set_value(True).run()
    assert_clean(at)
    assert len(calls) == 1 and len(at.dataframe[0].value) == 28
    at.button(key="wb_run").click().run()
    assert_clean(at)
    assert len(calls) == 2 and len(at.dataframe[0].value) == 28
