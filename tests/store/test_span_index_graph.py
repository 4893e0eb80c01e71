"""Each policy's span index graph (graph/index/...) in a store: written with the policy on both ingest
paths, always derived from the current version's graph, read by the catalog in every query mode,
left out of exports; a store ingested before the index existed gains it on ingest and on opening."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from explorer.index_upkeep import ensure_span_index, policies_without_index
from explorer.model import graph_iri, policy_of_graph
from explorer.model.iris import INDEX_GRAPH_PREFIX, index_graph_iri
from explorer.model.span_index import span_index
from explorer.pipeline import export_graphs, ingest_paths
from explorer.pipeline_bulk import ingest_paths_bulk
from explorer.query.catalog import get_query
from explorer.query.runner import asserted_graphs, run_query
from explorer.store import PolicyStore, open_store
from tests.cliutil import run
from tests.queries.conftest import rows_as_text

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
SEED = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
EXPECTED = ROOT / "tests" / "fixtures" / "expected" / "queries"
OLDER, NEWER = REAL / "bcbssc-liquid-biopsy.2026-02-05.txt", REAL / "bcbssc-liquid-biopsy.2026-03-22.txt"
SPAN_QUERIES = ("references", "citations", "codes", "coverage-statements", "policy-history")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def index_graphs(store: PolicyStore) -> list[str]:
    return [g for g in store.graph_iris() if g.startswith(INDEX_GRAPH_PREFIX)]


def assert_index_matches_current(store: PolicyStore) -> None:
    """Every policy has one index graph, exactly the index of its current graph."""
    policies = [str(policy_of_graph(g)) for g in store.graph_iris() if g.endswith("/graph") and policy_of_graph(g)]
    assert policies and sorted(index_graphs(store)) == sorted(str(index_graph_iri(p)) for p in policies)
    for policy in policies:
        expected = set(span_index(store.get_graph(str(graph_iri(policy)))))
        assert expected and set(store.get_graph(str(index_graph_iri(policy)))) == expected


def expected_rows(name: str) -> tuple[dict[str, object], list[list[str]]]:
    data = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    return data["params"], data["rows"]


def catalog_matches_expected(store: PolicyStore, graphs: list[str] | None = None) -> None:
    """The seed's rows of the span queries are its expected rows (other policies' rows aside)."""
    for name in SPAN_QUERIES:
        params, rows = expected_rows(name)
        got = rows_as_text(run_query(store, get_query(name), params, graphs=graphs))
        assert rows and [row for row in got if row[0] == "338"] == rows, name


@pytest.mark.parametrize("url", ["memory:", "oxigraph:"])
def test_ingest_writes_the_index_beside_the_policy(url: str) -> None:
    with open_store(url) as store:
        assert ingest_paths(store, [SEED]).ok
        assert_index_matches_current(store)
        (index,) = index_graphs(store)
        assert str(policy_of_graph(index)).endswith("/policy/bcbsma/338")
        catalog_matches_expected(store)


def test_the_bulk_path_writes_the_index_in_the_same_batch(tmp_path: Path) -> None:
    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        report = ingest_paths_bulk(store, [SEED, REAL / "blueshieldca-algorithmic-testing.txt"], workers=0)
        assert report.ok and len(report.ingested) == 2
        assert_index_matches_current(store)
        catalog_matches_expected(store)


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_the_index_follows_the_current_version_and_kept_versions_have_none(order: str) -> None:
    documents = [OLDER, NEWER] if order == "older first" else [NEWER, OLDER]
    with open_store("oxigraph:") as store:
        assert ingest_paths(store, documents).ok
        assert_index_matches_current(store)  # the newer one's, whichever came last
        (policy,) = {str(policy_of_graph(g)) for g in index_graphs(store)}
        newer = set(span_index(store.get_graph(str(graph_iri(policy)))))
        assert {str(s).split("#")[0] for s, _, _ in newer} == {  # one document: the newer version's
            str(s).split("#")[0] for s in store.get_graph(str(graph_iri(policy))).subjects()
            if "#char=" in str(s)}
        assert len(index_graphs(store)) == 1


def test_asserted_only_mode_names_the_index_and_exports_leave_it_out() -> None:
    with open_store("oxigraph:") as store:
        assert ingest_paths(store, [SEED]).ok
        graphs = asserted_graphs(store)
        assert index_graphs(store)[0] in graphs and not any("/graph/inferred/" in g for g in graphs)
        catalog_matches_expected(store, graphs)
        names = [name for name, _ in export_graphs(store, inferred=True, vocabulary=True)]
        assert names and not any(n.startswith(INDEX_GRAPH_PREFIX) for n in names)


def test_a_store_from_before_the_index_gains_it_on_ingest() -> None:
    with open_store("oxigraph:") as store:
        assert ingest_paths(store, [SEED]).ok
        store.remove_graph(index_graphs(store)[0])  # as an earlier release left it
        assert policies_without_index(store)
        params, _ = expected_rows("references")
        rows = run_query(store, get_query("references"), params).rows
        assert rows and all(row[-3:] == (None, None, None) for row in rows)  # quote, start, end need the index
        assert ingest_paths(store, [REAL / "blueshieldca-algorithmic-testing.txt"]).ok
        assert_index_matches_current(store)
        catalog_matches_expected(store)
        assert ensure_span_index(store) == 0  # nothing left to do


def test_a_store_from_before_the_index_gains_it_when_the_cli_opens_it(seed_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "old"
    shutil.copytree(seed_store, path)
    with open_store(f"oxigraph:{path}") as store:
        store.remove_graph(index_graphs(store)[0])
    result = run("query", "references", "--format", "json", store=f"oxigraph:{path}")
    assert result.exit_code == 0, result.stderr
    assert "indexing the source spans of 1 policies" in result.stderr  # said, not done silently
    _, rows = expected_rows("references")
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [(b["number"]["value"], b["start"]["value"]) for b in bindings] == [(r[1], r[11]) for r in rows]
    with open_store(f"oxigraph:{path}") as store:
        assert_index_matches_current(store)


def test_policy_of_an_index_graph_is_its_policy() -> None:
    policy = URIRef("https://w3id.org/policy-explorer/id/policy/bcbsma/338")
    assert policy_of_graph(str(index_graph_iri(policy))) == policy
    assert str(index_graph_iri(policy)) == "https://w3id.org/policy-explorer/graph/index/bcbsma/338"


def test_opening_an_indexed_store_does_not_list_its_graphs() -> None:
    """A fresh CLI process must stay fast on a large store: one lookup says it is indexed."""
    with open_store("oxigraph:") as store:
        assert ingest_paths(store, [SEED]).ok
        listed = []
        real = store.graph_iris
        store.graph_iris = lambda: listed.append(1) or real()  # type: ignore[method-assign]
        assert ensure_span_index(store, opening=True) == 0 and not listed
        assert ensure_span_index(store) == 0 and listed  # ingest always lists


def test_a_store_the_cli_cannot_write_is_read_as_it_is(seed_store: Path, tmp_path: Path, monkeypatch) -> None:
    """A read-only store (a public SPARQL endpoint) without the index: a warning, and the rows
    without their quotes, never a failed command."""
    from explorer.errors import StoreError
    from explorer.store.oxigraph_store import OxigraphStore

    path = tmp_path / "old"
    shutil.copytree(seed_store, path)
    with open_store(f"oxigraph:{path}") as store:
        store.remove_graph(index_graphs(store)[0])

    def refuse(self, graphs):  # noqa: ANN001
        raise StoreError("the store refused the write")

    monkeypatch.setattr(OxigraphStore, "replace_graphs", refuse)
    result = run("query", "references", "--format", "json", store=f"oxigraph:{path}")
    assert result.exit_code == 0, result.stderr
    assert "warning: the store refused the write" in result.stderr
    _, rows = expected_rows("references")
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["number"]["value"] for b in bindings] == [r[1] for r in rows]
    assert not any("start" in b for b in bindings)
