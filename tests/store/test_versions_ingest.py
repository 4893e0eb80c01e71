"""Ingesting several versions of one policy (issue 16 item 5), on the real dated pairs: the newest
version stays current whatever the order, earlier ones are kept in version graphs that no catalog
query, listing, show or coverage answer sees, and each stored version links to the one before it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from explorer.determination import determine
from explorer.ingest import parse_policy_file
from explorer.ingest.facts import PolicyFacts
from explorer.model import facts_to_graph, graph_iri, inferred_graph_iri, policy_iri_of
from explorer.model.iris import VERSION_GRAPH_PREFIX, version_graph_iri
from explorer.model.version_rdf import version_date, version_iri
from explorer.pipeline import ingest_facts, ingest_paths, list_policies, policy_json
from explorer.pipeline_bulk import ingest_paths_bulk
from explorer.query.catalog import load_catalog
from explorer.query.runner import run_query
from explorer.store import PolicyStore, open_store
from explorer.versions.store import stored_versions

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
EXPECTED = ROOT / "tests" / "fixtures" / "expected" / "queries"
PAIRS = {  # policy -> (older, newer) documents, by their own effective dates
    "bcbssc": ("bcbssc-liquid-biopsy.2026-02-05.txt", "bcbssc-liquid-biopsy.2026-03-22.txt"),
    "geisinger": ("geisinger-MP360-minimal-residual-disease.2026-02-05.txt",
                  "geisinger-MP360-minimal-residual-disease.2026-03-22.txt"),
    "molina": ("molina-MCP-051-genetic-testing.2026-02-05.txt", "molina-MCP-051-genetic-testing.2026-03-22.txt"),
}

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def parsed() -> dict[str, PolicyFacts]:
    names = [n for pair in PAIRS.values() for n in pair]
    names += ["bcbst-ctdna-liquid-biopsy.2026-02-05.txt", "bcbst-ctdna-liquid-biopsy.2026-03-22.txt"]
    return {n: parse_policy_file(REAL / n) for n in names}


def catalog_rows(store: PolicyStore) -> dict[str, list[list[str]]]:
    """Every catalog query but policy-versions, with the expected files' parameters."""
    out = {}
    for name, query in load_catalog().items():
        if name == "policy-versions":
            continue
        path = EXPECTED / f"{name}.json"
        params = json.loads(path.read_text(encoding="utf-8"))["params"] if path.exists() else {}
        out[name] = [[str(c) for c in row] for row in run_query(store, query, params).rows]
    return out


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_dates_of_the_pairs_are_ordered(parsed: dict[str, PolicyFacts], name: str) -> None:
    older, newer = (parsed[n] for n in PAIRS[name])
    assert str(version_date(older)) < str(version_date(newer))


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_an_older_version_after_the_newer_is_kept_and_the_newer_stays_current(
    parsed: dict[str, PolicyFacts], name: str
) -> None:
    older, newer = (parsed[n] for n in PAIRS[name])
    policy = policy_iri_of(newer)
    with open_store("oxigraph:") as store:
        first = ingest_facts(store, newer)
        assert first.kept_as == "current"
        shown, asserted = policy_json(store, newer.number), store.get_graph(str(graph_iri(policy)))
        inferred = store.get_graph(str(inferred_graph_iri(policy)))
        second = ingest_facts(store, older)
        assert second.kept_as == f"earlier version (current: {version_date(newer)})"
        assert policy_json(store, newer.number) == shown
        versions = stored_versions(store, policy)
        assert [(v.date, v.current) for v in versions] == [(version_date(older), False), (version_date(newer), True)]
        # the current graph gained its link to the kept version and nothing else; its inferences untouched
        link = (version_iri(newer, policy), PROV.wasRevisionOf, version_iri(older, policy))
        now = store.get_graph(str(graph_iri(policy)))
        assert link in now and link not in asserted
        now.remove(link)
        assert isomorphic(now, asserted)
        assert isomorphic(store.get_graph(str(inferred_graph_iri(policy))), inferred)
        kept = store.get_graph(str(version_graph_iri(version_iri(older, policy))))
        assert isomorphic(kept, facts_to_graph(older))
        # over the union, the current version's predecessor; over GRAPH ?g, the chain
        rows = store.query("PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?v ?w WHERE { ?v prov:wasRevisionOf ?w }")
        assert {(r[0], r[1]) for r in rows} == {(link[0], link[2])}  # type: ignore[index]


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_either_order_gives_the_same_store(parsed: dict[str, PolicyFacts], name: str) -> None:
    older, newer = (parsed[n] for n in PAIRS[name])
    policy = policy_iri_of(newer)
    graphs = [str(graph_iri(policy)), str(version_graph_iri(version_iri(older, policy)))]
    with open_store("oxigraph:") as a, open_store("oxigraph:") as b:
        assert ingest_facts(a, older, reason=False).kept_as == ingest_facts(a, newer, reason=False).kept_as
        ingest_facts(b, newer, reason=False)
        ingest_facts(b, older, reason=False)
        assert stored_versions(a, policy) == stored_versions(b, policy)
        for g in graphs:
            assert len(a.get_graph(g)) > 0 and isomorphic(a.get_graph(g), b.get_graph(g)), g


def test_catalog_rows_list_show_and_coverage_unchanged_by_an_earlier_version(
    store: PolicyStore, parsed: dict[str, PolicyFacts]
) -> None:
    """Geisinger MP360 (clonoSEQ is in its coverage answers) and Molina: no row counted twice."""
    newer = [parsed[PAIRS[n][1]] for n in ("geisinger", "molina")]
    for facts in newer:
        ingest_facts(store, facts)
    before = (catalog_rows(store), list_policies(store), policy_json(store, "MP360"),
              determine(store, code="0364U", diagnosis="C90.00"))
    assert before[0]["policies"] and before[0]["codes"]
    for name in ("geisinger", "molina"):
        assert ingest_facts(store, parsed[PAIRS[name][0]]).kept_as.startswith("earlier version")
    after = (catalog_rows(store), list_policies(store), policy_json(store, "MP360"),
             determine(store, code="0364U", diagnosis="C90.00"))
    assert after == before
    assert len([g for g in store.graph_iris() if "/graph/version/" in g]) == 2


def test_one_version_rendered_twice_is_replaced_not_kept(parsed: dict[str, PolicyFacts]) -> None:
    """BCBS Tennessee's two fetches print one effective date: the later document replaces the earlier."""
    a, b = parsed["bcbst-ctdna-liquid-biopsy.2026-02-05.txt"], parsed["bcbst-ctdna-liquid-biopsy.2026-03-22.txt"]
    policy = policy_iri_of(a)
    with open_store("oxigraph:") as store:
        ingest_facts(store, a, reason=False)
        assert ingest_facts(store, b, reason=False).kept_as == "current"
        assert [(v.date, v.current) for v in stored_versions(store, policy)] == [(version_date(b), True)]
        assert isomorphic(store.get_graph(str(graph_iri(policy))), facts_to_graph(b))


def _dated(seed: str, row: str) -> str:
    """The seed with one more history row on top (a later date names a later version)."""
    head = "4/2019\tPrior authorization information clarified."
    assert head in seed
    return seed.replace(head, row + "\n" + head, 1)


def test_a_version_between_two_relinks_the_chain(seed_web_path: Path, tmp_path: Path) -> None:
    """Three versions ingested newest, oldest, middle: each links to the one before it, and the
    current graph's link moves to the middle one."""
    seed = seed_web_path.read_text(encoding="utf-8")
    (tmp_path / "a-newest.txt").write_text(_dated(seed, "1/2030\tAnnual policy review."), encoding="utf-8")
    (tmp_path / "b-oldest.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "c-middle.txt").write_text(_dated(seed, "1/2025\tAnnual policy review."), encoding="utf-8")
    with open_store("oxigraph:") as store:
        report = ingest_paths(store, [tmp_path], reason=False)
        assert [p.kept_as for p in report.ingested] == ["current", "earlier version (current: 2030-01)",
                                                        "earlier version (current: 2030-01)"]
        policy = URIRef(report.ingested[0].iri)
        versions = stored_versions(store, policy)
        assert [(v.date, v.current) for v in versions] == [("2019-04", False), ("2025-01", False), ("2030-01", True)]
        assert [v.revises for v in versions] == [None, versions[0].iri, versions[1].iri]
        current = store.get_graph(str(graph_iri(policy)))
        assert set(current.objects(URIRef(versions[2].iri), PROV.wasRevisionOf)) == {URIRef(versions[1].iri)}
        # re-ingesting the newest changes nothing; a kept version re-ingested stays kept
        before = {v.graph: store.get_graph(v.graph) for v in versions}
        assert ingest_paths(store, [tmp_path / "a-newest.txt", tmp_path / "b-oldest.txt"],
                            reason=False).ingested[1].kept_as.startswith("earlier")
        assert stored_versions(store, policy) == versions
        assert all(isomorphic(store.get_graph(g), graph) for g, graph in before.items())


def test_an_undated_document_replaces_and_the_dated_version_is_kept(seed_web_path: Path, tmp_path: Path) -> None:
    """Nothing says which came first: the last document ingested is current, the one it replaced kept."""
    seed = seed_web_path.read_text(encoding="utf-8")
    start, end = seed.index("\nPolicy History\n"), seed.index("\nInformation Pertaining to All")
    undated = seed[:start] + seed[end:]
    (tmp_path / "undated.txt").write_text(undated, encoding="utf-8")
    facts = parse_policy_file(tmp_path / "undated.txt")
    assert version_date(facts) is None
    with open_store("oxigraph:") as store:
        ingest_paths(store, [seed_web_path], reason=False)
        assert ingest_facts(store, facts, reason=False).kept_as == "current"
        versions = stored_versions(store, policy_iri_of(facts))
        assert [(v.date, v.current) for v in versions] == [("2019-04", False), (None, True)]
        assert all(v.revises is None for v in versions)


def _union_is_the_current_graphs(store: PolicyStore) -> bool:
    """The Oxigraph default graph is exactly the union of the named graphs but the earlier versions'."""
    import pyoxigraph as ox

    raw = store._store  # type: ignore[attr-defined]
    default = {q.triple for q in raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    union = {q.triple for q in raw.quads_for_pattern(None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(VERSION_GRAPH_PREFIX)}
    return default == union


@pytest.mark.parametrize("newer_first", [False, True], ids=["older-first", "newer-first"])
def test_the_bulk_path_keeps_two_versions_met_in_one_batch(seed_web_path: Path, tmp_path: Path,
                                                           newer_first: bool) -> None:
    """Both Molina versions (and the seed) in one bulk ingest, in either order: the same versions,
    graphs and report as the per-policy path."""
    pair = [REAL / n for n in PAIRS["molina"]]
    documents = [seed_web_path, *(reversed(pair) if newer_first else pair)]
    with open_store(f"oxigraph:{tmp_path / 'bulk'}") as bulk, open_store("oxigraph:") as one:
        got = ingest_paths_bulk(bulk, documents, workers=0, reason=False)
        expected = ingest_paths(one, documents, reason=False)
        assert got.ingested == expected.ingested and got.ok
        assert [p.kept_as for p in got.ingested][1:] == (
            ["current", "earlier version (current: 2026-02-11)"] if newer_first else ["current", "current"])
        policy = URIRef(got.ingested[1].iri)
        versions = stored_versions(bulk, policy)
        assert versions == stored_versions(one, policy) and [v.current for v in versions] == [False, True]
        for v in versions:
            assert isomorphic(bulk.get_graph(v.graph), one.get_graph(v.graph)), v.graph
        assert _union_is_the_current_graphs(bulk) and _union_is_the_current_graphs(one)
        assert list_policies(bulk) == list_policies(one)


def test_the_policy_versions_query_lists_the_chain(store: PolicyStore, parsed: dict[str, PolicyFacts]) -> None:
    """The catalog query agrees with stored_versions on every backend: Molina's two versions, the
    earlier one first, the current one revising it."""
    older, newer = (parsed[n] for n in PAIRS["molina"])
    ingest_facts(store, newer, reason=False)
    ingest_facts(store, older, reason=False)
    rows = run_query(store, load_catalog()["policy-versions"], {}).rows
    got = [["" if c is None else str(c) for c in row] for row in rows]
    expected = [[newer.number, v.iri, v.date or "", "current" if v.current else "earlier", v.revises or ""]
                for v in stored_versions(store, policy_iri_of(newer))]
    assert got == expected and len(got) == 2


def test_the_ingest_table_says_where_each_document_went(tmp_path: Path) -> None:
    """The brief's case: the March fetch (2026-02-11), then the February one (2025-02-12): the
    second line says it is kept as an earlier version, and `list` still shows one policy."""
    from tests.cliutil import run

    store = f"oxigraph:{tmp_path / 'store'}"
    older, newer = (ROOT / "data" / "policies" / n for n in PAIRS["molina"])
    first = run("ingest", str(newer), "-q", "--no-reason", store=store)
    second = run("ingest", str(older), "-q", "--no-reason", store=store)
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
    for result, document, kept in ((first, newer, "current"),
                                   (second, older, "earlier version (current: 2026-02-11)")):
        header, row = (line.split("\t") for line in result.stdout.splitlines()[:2])
        assert header[-1] == "kept as" and row[0] == document.name and row[-1] == kept
    listing = run("list", store=store)
    assert len(listing.stdout.splitlines()) == 2  # the header and one policy
