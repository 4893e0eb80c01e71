"""SPARQL workbench, ontology browser and exports pages on the bundled policy."""

from __future__ import annotations

from tests.app.conftest import assert_clean, open_app, url_params


def test_catalog_query_with_parameter_from_the_url() -> None:
    at = open_app("workbench", {"query": "references", "p.policy": "338"})
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 28
    assert "https://pubmed.ncbi.nlm.nih.gov/20381970/" in set(table["pmid"])  # a link now (issue 14 item 14)
    assert len(at.get("download_button")) == 2


def test_own_query_runs_and_stays_in_the_url() -> None:
    sparql = ("PREFIX pol: <https://w3id.org/policy-explorer/ontology#>\n"
              "SELECT ?s WHERE { ?s a pol:CoverageStatement }")
    at = open_app("workbench", {"query": "own", "sparql": sparql})
    assert not at.dataframe  # a linked query is shown, not run, until Run is pressed
    at.button(key="wb_run").click().run()
    assert_clean(at)
    assert at.selectbox(key="wb_query").value == "(write your own)"
    assert len(at.dataframe[0].value) == 4
    assert url_params(at)["sparql"] == [sparql]


def test_inferred_toggle_changes_what_a_query_sees() -> None:
    sparql = ("PREFIX pol: <https://w3id.org/policy-explorer/ontology#>\n"
              "SELECT ?s WHERE { ?s a pol:InvestigationalStatement }")
    inferred = open_app("workbench", {"query": "own", "sparql": sparql, "inferred": "1"})
    asserted = open_app("workbench", {"query": "own", "sparql": sparql, "inferred": "0"})
    inferred.button(key="wb_run").click().run()
    asserted.button(key="wb_run").click().run()
    assert_clean(inferred)
    assert len(inferred.dataframe[0].value) == 3
    assert len(asserted.dataframe[0].value) == 0


def test_update_is_refused_with_a_message() -> None:
    at = open_app("workbench", {"query": "own", "sparql": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    at.button(key="wb_run").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert "update" in at.error[0].value.lower() or "read-only" in at.error[0].value.lower()


def test_row_limit_says_the_result_was_cut() -> None:
    at = open_app("workbench", {"query": "references", "rows": "5"})
    assert_clean(at)
    assert len(at.dataframe[0].value) == 5
    assert at.warning and "first 5" in at.warning[0].value


def test_ontology_counts_instances() -> None:
    at = open_app("ontology", {"class": "https://w3id.org/policy-explorer/ontology#CoverageStatement"})
    assert_clean(at)
    classes = at.dataframe[0].value
    row = classes[classes["IRI"] == "https://w3id.org/policy-explorer/ontology#CoverageStatement"]
    assert list(row["instances"]) == [4]
    assert len(at.dataframe[1].value) > 10          # properties
    assert any("Instances: **4**" in m.value for m in at.markdown)


def test_exports_page_offers_each_format() -> None:
    for fmt in ("ttl", "jsonld", "nt", "html"):
        at = open_app("exports", {"policy": "338", "format": fmt})
        assert_clean(at)
        button = at.get("download_button")[0]
        assert button.proto.url.endswith(f".{fmt}")
        assert int(at.caption[0].value.split()[0].replace(",", "")) > 10_000


def test_workbench_waits_while_stopped_queries_still_run(monkeypatch) -> None:
    """Oxigraph cannot interrupt a query at its time limit; the workbench refuses new work while
    such stray queries are still being evaluated, instead of piling them up."""
    from explorer.app import state
    from explorer.query import limits

    monkeypatch.setattr(limits, "stray_queries", lambda: state.MAX_STRAY_QUERIES)
    at = open_app("workbench", {"query": "references", "p.policy": "338"})
    assert not at.exception
    assert not at.dataframe
    assert len(at.error) == 1 and "time limit" in at.error[0].value
    monkeypatch.setattr(limits, "stray_queries", lambda: state.MAX_STRAY_QUERIES - 1)
    assert len(open_app("workbench", {"query": "references", "p.policy": "338"}).dataframe) == 1


def test_exports_page_and_cli_share_one_format_table_and_one_export_function() -> None:
    """Every format the CLI writes is offered, through the same export(): CSV gives its two files."""
    from explorer.render.exports import EXPORT_FORMATS, FORMAT_LABELS

    assert list(FORMAT_LABELS) == sorted(FORMAT_LABELS, key=list(FORMAT_LABELS).index)
    assert set(FORMAT_LABELS) == set(EXPORT_FORMATS)
    at = open_app("exports", {"policy": "338", "format": "csv"})
    assert_clean(at)
    buttons = at.get("download_button")
    assert len(buttons) == 2 and all(b.proto.url.endswith(".csv") for b in buttons)
    assert [b.proto.label.rsplit(" ", 1)[-1] for b in buttons] == ["nodes", "edges"]
    at = open_app("exports", {"policy": "338", "format": "graphml"})
    assert_clean(at)
    assert at.get("download_button")[0].proto.label == "Download GraphML (Gephi, Cytoscape)"
