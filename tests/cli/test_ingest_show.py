"""`ingest`, `list`, `show`, `validate`, `export` on the seed, end to end through a real Oxigraph store."""

from __future__ import annotations

import json

from rdflib import XSD, Dataset, Graph, Literal
from rdflib.compare import isomorphic

from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph
from tests.cliutil import run


def test_list_shows_the_seed(seed_store):
    result = run("list", "--format", "json", store=seed_store)
    assert result.exit_code == 0
    [policy] = json.loads(result.stdout)
    assert (policy["number"], policy["statements"], policy["references"]) == ("338", 4, 28)
    assert policy["title"] == (
        "Donor Lymphocyte Infusion for Malignancies Treated with an Allogeneic Hematopoietic Cell Transplant")


def test_show_json_contract_matches_the_document(seed_store, seed_web_path):
    data = json.loads(run("show", "338", "--format", "json", store=seed_store).stdout)
    text = seed_web_path.read_text(encoding="utf-8")
    assert data["policy"]["iri"] == "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    statuses = [s["status"] for s in data["statements"]]
    assert sorted(statuses) == ["investigational"] * 3 + ["medically-necessary"]
    pa = {(p["product"], p["setting"]): p["required"] for p in data["prior_authorization"]}
    assert len(pa) == 8 and {v for (_, s), v in pa.items() if s == "inpatient"} == {True}
    assert {v for (_, s), v in pa.items() if s == "outpatient"} == {False}
    assert [(c["system"], c["code"]) for c in data["codes"]] == [("CPT", "38242")]
    assert max(h["date"] for h in data["history"]) == "2019-04" and len(data["history"]) == 8
    refs = data["references"]
    assert len(refs) == 28 and sorted(r["number"] for r in refs if not r["pmid"]) == [3, 26, 27, 28]
    assert refs[0]["year"] == 2010
    cited = [c["reference"] for c in data["citations"]]
    assert cited == [1, 2, 1] or sorted(cited) == [1, 1, 2]
    assert sorted(e["conclusion"] for e in data["evidence"]) == ["insufficient", "sufficient"]
    assert len(data["figures"]) == 3
    sources = [data[k][i]["source"] for k in ("statements", "prior_authorization", "codes", "history", "references",
                                               "citations", "figures", "evidence") for i in range(len(data[k]))]
    for source in sources:
        assert text[source["start"]:source["end"]] == source["quote"]


def test_show_text(seed_store):
    result = run("show", "338", store=seed_store)
    assert result.exit_code == 0 and "[investigational]" in result.stdout
    assert "Medicare PPO Blue / inpatient: required" in result.stdout


def test_validate_conforms(seed_store):
    result = run("validate", store=seed_store)
    assert result.exit_code == 0 and "conforms" in result.stdout


def test_export_turtle_is_the_asserted_graph(seed_store, seed_web_path):
    result = run("export", "338", "--format", "ttl", store=seed_store)
    assert result.exit_code == 0
    exported = Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(exported, facts_to_graph(parse_policy_file(seed_web_path)))


def test_export_quads_keep_named_graphs(seed_store):
    result = run("export", "--format", "nq", "--inferred", store=seed_store)
    dataset = Dataset()
    dataset.parse(data=result.stdout, format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "https://w3id.org/policy-explorer/id/policy/bcbsma/338/graph" in names
    assert "https://w3id.org/policy-explorer/graph/inferred/bcbsma/338" in names


def test_export_jsonld_uses_local_context_and_round_trips(seed_store):
    result = run("export", "338", "--format", "jsonld", store=seed_store)
    data = json.loads(result.stdout)
    assert isinstance(data.get("@context"), dict)   # inline context: nothing to fetch
    back = Graph().parse(data=result.stdout, format="json-ld")
    ttl = Graph().parse(data=run("export", "338", "--format", "ttl", store=seed_store).stdout, format="turtle")
    assert isomorphic(_by_value(back), _by_value(ttl))


def _by_value(graph: Graph) -> Graph:
    """JSON-LD writes numbers natively (40.0 may come back as "40"): compare decimals by value."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(str(o.toPython().normalize()), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_validate_exit_1_names_the_broken_fact_and_exit_2_on_empty_store(tmp_path, seed_web_path):

    from explorer.model import POL, graph_iri
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    path = tmp_path / "store"
    assert run("validate", store=f"oxigraph:{path}").exit_code == 2        # nothing to validate
    with open_store(f"oxigraph:{path}") as store:
        ingest_paths(store, [seed_web_path], reason=False)
        iri = "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
        graph = store.get_graph(str(graph_iri(iri)))
        statement = next(graph.subjects(POL.statementNumber, Literal(2)))  # IRIs are content keys
        graph.remove((statement, POL.hasStatus, None))
        store.replace_graph(str(graph_iri(iri)), graph)
    result = run("validate", store=f"oxigraph:{path}")
    assert result.exit_code == 1 and "does not conform" in result.stdout
    assert str(statement) in result.stdout and "hasStatus" in result.stdout
