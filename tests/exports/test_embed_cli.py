"""`policy-explorer embed`: every format to stdout or --out, errors as one line and exit code 2."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from rdflib import Graph

from explorer.pipeline import ingest_paths
from explorer.store import open_store
from tests.cliutil import run


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory, seed_web_path) -> str:
    url = "oxigraph:" + str(tmp_path_factory.mktemp("store") / "ox")
    with open_store(url) as store:
        assert ingest_paths(store, [seed_web_path], reason=False).ok
    return url


def test_ntriples_to_stdout(disk_store):
    result = run("embed", "338", "--format", "nt", store=disk_store)
    assert result.exit_code == 0, result.stderr
    assert len(Graph().parse(data=result.stdout, format="nt")) > 100


def test_graphml_to_a_file(disk_store, tmp_path):
    out = tmp_path / "policy.graphml"
    result = run("embed", "338", "--format", "graphml", "--out", str(out), store=disk_store)
    assert result.exit_code == 0, result.stderr
    assert nx.read_graphml(out).number_of_nodes() > 10


def test_csv_writes_node_and_edge_files(disk_store, tmp_path):
    result = run("embed", "--format", "csv", "--out", str(tmp_path / "g.csv"), store=disk_store)
    assert result.exit_code == 0, result.stderr
    nodes = list(csv.DictReader(io.StringIO((tmp_path / "g-nodes.csv").read_text(encoding="utf-8"))))
    edges = list(csv.DictReader(io.StringIO((tmp_path / "g-edges.csv").read_text(encoding="utf-8"))))
    ids = {n["id"] for n in nodes}
    assert edges and all(e["source"] in ids and e["target"] in ids for e in edges)


def test_html_height_and_max_nodes(disk_store, tmp_path):
    out = tmp_path / "g.html"
    result = run("embed", "338", "--format", "html", "--height", "420px", "--max-nodes", "12",
                 "--out", str(out), store=disk_store)
    assert result.exit_code == 0, result.stderr
    assert "420px" in out.read_text(encoding="utf-8")
    assert "nodes left out" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["999", "--format", "ttl"], "no policy '999'"),
    (["338", "--format", "html", "--height", "1px;background:url(//x)"], "CSS length"),
])
def test_bad_input_is_one_line_and_exit_2(disk_store, args, message):
    result = run("embed", *args, store=disk_store)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
