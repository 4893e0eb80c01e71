"""Rules whose premises join two instance triples (prp-trp, cls-svf1/2, cls-avf), which the
project's ontology does not use yet: a small vocabulary that does, reasoned per policy by the fast
path and by owlrl's naive closure, must give the same instance entailments."""

from __future__ import annotations

from rdflib import Graph

from explorer.reason import full_closure, infer_policy, instance_entailments, vocabulary_closure

VOCABULARY = """
@prefix ex: <http://example.org/v#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:partOf a owl:TransitiveProperty , owl:ObjectProperty ; owl:inverseOf ex:hasPart .
ex:hasPart a owl:ObjectProperty .
ex:near a owl:SymmetricProperty .
ex:Big a owl:Class .
ex:Red a owl:Class .
ex:BigAndRed owl:intersectionOf ( ex:Big ex:Red ) .
ex:BigOrRed owl:unionOf ( ex:Big ex:Red ) .
ex:HasBigPart owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:hasPart ; owl:someValuesFrom ex:Big ] .
ex:OnlyRedParts owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:hasPart ; owl:allValuesFrom ex:Red ] .
ex:NearAnything owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:near ; owl:someValuesFrom owl:Thing ] .
ex:Hub owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:partOf ; owl:hasValue ex:centre ] .
"""

POLICY = """
@prefix ex: <http://example.org/v#> .
@prefix i: <http://example.org/i/> .

i:a ex:partOf i:b . i:c ex:partOf i:d . i:b ex:partOf i:c . i:d ex:partOf <http://example.org/v#centre> .
i:e ex:partOf i:f . i:g ex:partOf i:e .
i:a a ex:Big . i:f a ex:OnlyRedParts . i:x ex:hasPart i:y . i:y a ex:Big . i:y a ex:Red .
i:z a ex:OnlyRedParts . i:z ex:hasPart i:w . i:w a ex:Big .
i:p ex:near i:q .
"""


def test_join_rules_equal_owlrl_full_closure() -> None:
    vocabulary = Graph().parse(data=VOCABULARY, format="turtle")
    policy = Graph().parse(data=POLICY, format="turtle")
    closure = vocabulary_closure(vocabulary)
    inference = infer_policy(policy, closure)
    assert inference.engine == "rules"
    expected = set(instance_entailments(full_closure([policy], vocabulary), policy, closure))
    got = set(inference.graph)
    assert got - expected == set()
    assert expected - got == set()
    names = {(str(s).rsplit("/", 1)[-1], str(p).rsplit("#", 1)[-1], str(o).rsplit("/", 1)[-1]) for s, p, o in got}
    assert ("a", "partOf", "v#centre") in names  # prp-trp over a chain of four
    assert ("g", "partOf", "f") in names
    assert ("b", "type", "v#HasBigPart") in names  # cls-svf1 through the inverse of partOf
    assert ("w", "type", "v#Red") in names  # cls-avf
    assert ("w", "type", "v#BigAndRed") in names  # cls-int1 after cls-avf
    assert ("a", "type", "v#Hub") in names  # cls-hv2 after prp-trp
