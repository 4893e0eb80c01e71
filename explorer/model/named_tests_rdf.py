"""Named tests as RDF, and back (issue 16 item 9): a proprietary test a policy lists with its PLA
code is a service (``pol:NamedTest``, a ``pol:Service`` and a ``schema:MedicalTest``)::

    {p} pol:namesTest {p}/named-test/{code} .
    {p}/named-test/0364u a pol:NamedTest ; rdfs:label "clonoSEQ Assay" ; pol:testName "clonoSEQ Assay" ;
        pol:plaCode .../id/code/cpt/0364U ; pol:performedBy lab:adaptive-biotechnologies ;
        pol:sourceSpan {span of the name} .
    {p}/statement/{key} pol:namesTest {p}/named-test/0364u .     # the statement names it

A laboratory the registry (``data/vocab/labs.ttl``) knows is its concept ``lab:{slug}``; another is
``.../id/organization/{slug of its name}``, a ``pol:Laboratory`` with its name as ``rdfs:label``.
The IRI of a test comes from its PLA code, so it survives a revision that moves the row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from explorer.ingest.facts import NamedTest, PolicyFacts, Span
from explorer.ingest.named_tests import known_lab, lab_registry, named_in
from explorer.model.iris import ID, VOCAB, code_iri, code_system_iri, slug
from explorer.model.namespace import POL

LAB = Namespace(str(VOCAB) + "lab/")
ORGANIZATION = Namespace(str(ID) + "organization/")

SpanWriter = Callable[[URIRef, Span | None], None]
SpanReader = Callable[[URIRef], Span | None]


def named_test_iri(policy: URIRef | str, code: str) -> URIRef:
    """``{policy}/named-test/{pla code, lower case}``."""
    return URIRef(f"{policy}/named-test/{code.strip().lower()}")


def lab_iri(name: str) -> URIRef:
    """The registry's concept for a laboratory name, else ``.../id/organization/{slug}``."""
    known = known_lab(name)
    return LAB[known[0]] if known else ORGANIZATION[slug(name)]


def add_named_tests(graph: Graph, policy: URIRef, facts: PolicyFacts, statement_iris: Mapping[int, str],
                    span: SpanWriter) -> None:
    """The named tests of ``facts`` into ``graph``, linked from the policy and from every statement
    whose sentence names them."""
    for test in facts.named_tests:
        node = named_test_iri(policy, test.code)
        graph.add((policy, POL.namesTest, node))
        graph.add((node, RDF.type, POL.NamedTest))
        graph.add((node, RDFS.label, Literal(test.name)))
        graph.add((node, POL.testName, Literal(test.name)))
        code = code_iri("CPT", test.code)
        graph.add((node, POL.plaCode, code))
        graph.add((code, SKOS.notation, Literal(test.code)))  # as a listed or mentioned code has them
        graph.add((code, SKOS.inScheme, code_system_iri("CPT")))
        if test.lab:
            lab = lab_iri(test.lab)
            graph.add((node, POL.performedBy, lab))
            if known_lab(test.lab) is None:
                graph.add((lab, RDF.type, POL.Laboratory))
                graph.add((lab, RDFS.label, Literal(test.lab)))
        span(node, test.span)
    for statement in facts.statements:
        for test in named_in(statement.text, facts.named_tests):
            graph.add((URIRef(statement_iris[statement.number]), POL.namesTest, named_test_iri(policy, test.code)))


def read_named_tests(graph: Graph, policy: URIRef, span: SpanReader) -> tuple[NamedTest, ...]:
    """The policy's named tests back from ``graph``, in document order."""
    labels = {s: label for s, label in lab_registry().values()}
    out = []
    for node in graph.objects(policy, POL.namesTest):
        assert isinstance(node, URIRef)
        where = span(node)
        code = graph.value(node, POL.plaCode)
        name = graph.value(node, POL.testName)
        if where is None or code is None or name is None:
            continue
        lab = graph.value(node, POL.performedBy)
        lab_name = None
        if lab is not None:
            local = str(lab)
            lab_name = labels.get(local[len(str(LAB)):]) if local.startswith(str(LAB)) else None
            lab_name = lab_name or str(graph.value(lab, RDFS.label) or "") or None
        out.append(NamedTest(str(name), str(code).rsplit("/", 1)[-1], where, lab_name))
    return tuple(sorted(out, key=lambda t: (t.span.start, t.code)))
