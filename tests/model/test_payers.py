"""Payers are organisations (issue 16 item 9): every payer of the registry is a pol:Payer, and with
the reasoner's closure a schema:Organization and a prov:Agent to which its policies are attributed."""

from __future__ import annotations

from rdflib import RDF, Graph
from rdflib.namespace import PROV, SKOS

from explorer.model import POL, load_vocabulary_graph
from explorer.model.iris import PAYER, SCHEMA, VOCAB


def test_every_payer_of_the_registry_is_a_payer() -> None:
    vocabulary = load_vocabulary_graph()
    payers = set(vocabulary.subjects(SKOS.inScheme, VOCAB["payers"]))
    assert len(payers) >= 40
    assert {p for p in payers if (p, RDF.type, POL.Payer) not in vocabulary} == set()


def test_a_policy_is_attributed_to_its_payer_an_organisation(seed_graph: Graph) -> None:
    from explorer.reason import infer_policy, vocabulary_closure

    inferred = infer_policy(seed_graph).graph
    union = seed_graph + inferred + vocabulary_closure()  # the payer's types: the vocabulary's closure
    policy = next(seed_graph.subjects(RDF.type, POL.MedicalPolicy))
    assert (policy, PROV.wasAttributedTo, PAYER["bcbsma"]) in union
    for kind in (SCHEMA.Organization, PROV.Organization, PROV.Agent):
        assert (PAYER["bcbsma"], RDF.type, kind) in union, kind
