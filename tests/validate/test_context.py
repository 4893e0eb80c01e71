"""The local JSON-LD context: compacts the seed graph with short names and round-trips it, offline."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from explorer.model.iris import PREFIXES
from explorer.resources import ontology_dir

CONTEXT_PATH = ontology_dir() / "context.jsonld"


def _context() -> dict[str, Any]:
    with CONTEXT_PATH.open(encoding="utf-8") as handle:
        document = json.load(handle)
    context: dict[str, Any] = document["@context"]
    return context


def _expand(context: dict[str, Any], value: str) -> str:
    prefix, _, local = value.partition(":")
    base = context.get(prefix)
    return base + local if isinstance(base, str) and local else value


@pytest.fixture()
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_context_is_json_ld_1_1_with_every_prefix() -> None:
    context = _context()
    assert context["@version"] == 1.1
    for prefix, namespace in PREFIXES.items():
        assert context[prefix] == namespace


def test_no_term_shadows_a_prefix() -> None:
    """A term named like a prefix (``status``) would break CURIEs such as ``status:investigational``."""
    for prefix in PREFIXES:
        assert isinstance(_context()[prefix], str), prefix


def test_every_pol_term_is_declared_in_the_ontology() -> None:
    ontology = Graph().parse(ontology_dir() / "policy.ttl", format="turtle")
    declared = set(ontology.subjects(RDF.type, None))
    context = _context()
    pol = PREFIXES["pol"]
    checked = 0
    for term, definition in context.items():
        if term.startswith("@"):
            continue
        iri = definition["@id"] if isinstance(definition, dict) else definition
        expanded = _expand(context, iri)
        if expanded.startswith(pol) and expanded != pol:
            assert URIRef(expanded) in declared, (term, expanded)
            checked += 1
    assert checked > 50


@pytest.mark.usefixtures("offline")
def test_seed_round_trips_through_json_ld_with_the_context(seed_graph: Graph) -> None:
    text = seed_graph.serialize(format="json-ld", context=_context())
    back = Graph().parse(data=text, format="json-ld")
    assert isomorphic(seed_graph, back)


@pytest.mark.usefixtures("offline")
def test_seed_compacts_to_short_names_only(seed_graph: Graph) -> None:
    """Every predicate the seed uses has a term: no node key is a CURIE or a full IRI."""
    document = json.loads(seed_graph.serialize(format="json-ld", context=_context()))
    keys = {key for node in document["@graph"] for key in node}
    assert {"id", "type", "hasStatus", "statement", "pmid", "start", "end"} <= keys
    assert not {key for key in keys if ":" in key}
    statement = next(node for node in document["@graph"] if str(node.get("statementNumber")) == "1")
    assert statement["hasStatus"] == "status:medically-necessary"
    assert statement["type"] == "CoverageStatement"
