"""Where a document came from (issue 16 item 5: a version's document with its source URL and
retrieval time), read from the ``SOURCES.json`` beside it: the bundled corpus's, and edited copies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS

from explorer.ingest import parse_policy_file
from explorer.model import POL, facts_to_graph
from explorer.model.iris import document_iri
from explorer.validate import validate_graph

DATA = Path(__file__).resolve().parents[2] / "data" / "policies"
MOLINA = "molina-MCP-051-genetic-testing.2026-03-22.txt"


def _manifest_entry(name: str) -> dict[str, object]:
    return next(e for e in json.loads((DATA / "SOURCES.json").read_text(encoding="utf-8")) if e["file"] == name)


def test_a_bundled_document_knows_its_url_and_when_it_was_fetched() -> None:
    entry = _manifest_entry(MOLINA)
    facts = parse_policy_file(DATA / MOLINA)
    assert facts.source_url == entry["url"]
    # "2026-03-22T18:44:34.045Z" in the manifest, kept to the second
    assert str(entry["fetched"]).startswith("2026-03-22T18:44:34") and facts.retrieved == "2026-03-22T18:44:34+00:00"
    graph = facts_to_graph(facts)
    document = document_iri(facts.sha256)
    assert graph.value(document, DCTERMS.source) == URIRef(str(entry["url"]))
    assert str(graph.value(document, POL.retrievedAt)) == facts.retrieved
    assert validate_graph(graph).conforms


def test_the_seed_whose_url_was_not_recorded_has_none() -> None:
    assert _manifest_entry("bcbsma-338-donor-lymphocyte-infusion.txt")["url"] is None
    facts = parse_policy_file(DATA / "bcbsma-338-donor-lymphocyte-infusion.txt")
    assert (facts.source_url, facts.retrieved) == (None, None)


def test_an_entry_for_another_copy_of_the_file_is_not_used(tmp_path: Path) -> None:
    # the same name, edited: its bytes no longer have the manifest's hash
    shutil.copy(DATA / "SOURCES.json", tmp_path / "SOURCES.json")
    text = (DATA / MOLINA).read_text(encoding="utf-8")
    (tmp_path / MOLINA).write_text(text.replace("Genetic Testing", "Genetic Testing (local copy)", 1), encoding="utf-8")
    facts = parse_policy_file(tmp_path / MOLINA)
    assert (facts.source_url, facts.retrieved) == (None, None)
    shutil.copy(DATA / MOLINA, tmp_path / MOLINA)  # the very file: used
    assert parse_policy_file(tmp_path / MOLINA).source_url == _manifest_entry(MOLINA)["url"]


def test_a_broken_manifest_is_a_warning_not_an_error(tmp_path: Path) -> None:
    shutil.copy(DATA / MOLINA, tmp_path / MOLINA)
    (tmp_path / "SOURCES.json").write_text('[{"file": "x", ', encoding="utf-8")
    facts = parse_policy_file(tmp_path / MOLINA)
    assert facts.source_url is None and facts.statements
    assert any("SOURCES.json" in w and "not JSON" in w for w in facts.warnings)
    # a URL that is not http(s), or a date that is not one, is left out
    (tmp_path / "SOURCES.json").write_text(json.dumps([{"file": MOLINA, "url": "javascript:alert(1)",
                                                        "fetched": "yesterday"}]), encoding="utf-8")
    facts = parse_policy_file(tmp_path / MOLINA)
    assert (facts.source_url, facts.retrieved) == (None, None)
