"""Issue 16 item 7: two payers list CPT 0356U (NavDx) in their code tables, each in its own words.
Each policy's row is its own pol:CodeListing; the shared code node carries neither policy's span
nor description, and the `codes` query gives each policy its own row from its own document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from explorer.model.namespace import POL
from explorer.query.catalog import load_catalog
from explorer.query.runner import run_query

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
DOCS = [REAL / "geisinger-MP360-minimal-residual-disease.2026-03-22.txt", REAL / "carelon-liquid-biopsy-2025.txt"]
CODE = URIRef("https://w3id.org/policy-explorer/id/code/cpt/0356U")


@pytest.fixture(scope="module")
def two_payers() -> Iterator[object]:
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    store = open_store("oxigraph:")
    report = ingest_paths(store, DOCS)
    assert report.ok, report.failed
    yield store
    store.close()


def _policy_graphs(store) -> list:
    return [store.get_graph(iri) for iri in store.graph_iris() if iri.endswith("/graph") and "/policy/" in iri]


def test_each_policy_has_its_own_listing_and_the_shared_code_no_span(two_payers) -> None:
    graphs = _policy_graphs(two_payers)
    assert len(graphs) == 2
    descriptions = []
    for g in graphs:
        [listing] = [s for s in g.subjects(POL.listedCode, CODE)]
        [policy] = list(g.subjects(POL.hasCodeListing, listing))
        assert (policy, POL.listsCode, CODE) in g
        assert str(g.value(listing, POL.codeRole)) == "procedure"
        description = str(g.value(listing, POL.codeDescription))
        descriptions.append(description)
        # the listing's span is the code as this policy prints it, its description printed beside it
        text = str(g.value(g.value(policy, POL.sourceDocument), POL.documentText))
        span = g.value(listing, POL.sourceSpan)
        assert span is not None and str(span).startswith(str(g.value(policy, POL.sourceDocument)))
        start, end = (int(x) for x in str(span).rsplit("#char=", 1)[1].split(","))
        assert text[start:end] == "0356U"
        assert description.split()[0] in text[end:end + 200]
        # the shared node: what the code system says, nothing a policy printed
        assert (CODE, POL.sourceSpan, None) not in g and (CODE, SKOS.definition, None) not in g
        assert str(g.value(CODE, SKOS.notation)) == "0356U"
    assert descriptions[0] != descriptions[1], "the two payers word 0356U differently"


def test_codes_query_gives_each_policy_its_own_row(two_payers) -> None:
    result = run_query(two_payers, load_catalog()["codes"])
    col = {c: i for i, c in enumerate(result.columns)}
    rows = [r for r in result.rows if str(r[col["code"]]) == "0356U"]
    assert len(rows) == 2
    assert len({str(r[col["policy"]]) for r in rows}) == 2
    assert len({str(r[col["description"]]) for r in rows}) == 2
    for r in rows:
        assert "0356U" in str(r[col["quote"]])
