"""Typed violations read from a pySHACL results graph (rdflib graph API, no SPARQL)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from explorer.model.iris import PREFIXES


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node at fault, the property (if any), what is wrong, and the value."""

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None


@dataclass(frozen=True)
class ValidationResult:
    """Whether a graph conforms, its results sorted by focus/path/message, and a readable report."""

    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def _term(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, URIRef):
        return str(node)
    return node.n3()  # a blank node or complex path: still say something stable-ish


def _message(results: Graph, result: Node) -> str:
    messages = sorted({str(m) for m in results.objects(result, SH.resultMessage)})
    if messages:
        return "; ".join(messages)
    component = results.value(result, SH.sourceConstraintComponent)
    return f"violates {component}" if component is not None else "violation"


def _severity(results: Graph, result: Node) -> str:
    severity = results.value(result, SH.resultSeverity)
    return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"


def violations_of(results: Graph) -> tuple[Violation, ...]:
    """Every ``sh:ValidationResult`` of a results graph, deduplicated and sorted."""
    found = set()
    # the report's own results; a result nested under another (sh:detail, from sh:node) is part of it
    top = set(results.objects(None, SH.result)) or set(results.subjects(RDF.type, SH.ValidationResult))
    for result in sorted(top, key=str):
        found.add(
            Violation(
                focus=_term(results.value(result, SH.focusNode)) or "",
                path=_term(results.value(result, SH.resultPath)),
                message=_message(results, result),
                severity=_severity(results, result),
                value=_term(results.value(result, SH.value)),
            )
        )
    return tuple(sorted(found, key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.severity)))


def _namespaces() -> NamespaceManager:
    manager = NamespaceManager(Graph(bind_namespaces="none"))
    for prefix, ns in PREFIXES.items():
        manager.bind(prefix, ns)
    return manager


def _short(manager: NamespaceManager, iri: str | None) -> str:
    if iri is None:
        return "-"
    try:
        return manager.curie(iri, generate=False)
    except (KeyError, ValueError):
        return iri


def report_text(conforms: bool, violations: tuple[Violation, ...]) -> str:
    """A header line, then one line per result: ``focus  path  message (value)``."""
    manager = _namespaces()
    lines = [f"Conforms: {conforms} ({len(violations)} result{'s' if len(violations) != 1 else ''})"]
    for v in violations:
        value = f" ({v.value})" if v.value is not None else ""
        severity = "" if v.severity == "Violation" else f"[{v.severity}] "
        lines.append(f"{v.focus}  {_short(manager, v.path)}  {severity}{v.message}{value}")
    return "\n".join(lines)
