"""docs/model.md draws the model and states the IRI rules the code follows (issue 16)."""

from __future__ import annotations

from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph, statement_iris
from explorer.model.iris import document_iri, span_iri
from tests.conftest import ROOT, SEED_WEB

MODEL = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def test_model_doc_has_a_diagram_and_the_iri_rules() -> None:
    assert "```mermaid" in MODEL
    for rule in ("{policy}/statement/{key}", "pmid-{pmid}", "{policy}/history/{date}", "#char={start},{end}",
                 ".../id/document/sha256/{hex}", "oa:prefix"):
        assert rule in MODEL, rule


def test_readme_points_to_the_model_doc_and_its_example_iri_is_real() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/model.md" in readme
    facts = parse_policy_file(str(SEED_WEB))
    assert statement_iris(facts)[1].rsplit("/", 1)[-1] in readme
    span = facts.statements[0].span
    assert (span_iri(document_iri(facts.sha256), span.start, span.end), None, None) in facts_to_graph(facts)
