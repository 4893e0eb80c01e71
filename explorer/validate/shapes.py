"""Loading the SHACL shapes graph (``ontology/shapes.ttl``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from explorer.model.iris import PREFIXES
from explorer.resources import ontology_dir
from explorer.vocab import read_turtle


def default_shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


@cache
def _load(path: Path) -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return read_turtle(path, graph, what="shapes file")


def load_shapes(path: Path | None = None) -> Graph:
    """The shapes graph, parsed once per path and shared: treat it as read-only.

    :raises VocabularyError: the file is missing or is not valid Turtle.
    """
    return _load(Path(path or default_shapes_path()).resolve())


def shape_target_classes(shapes: Graph | None = None) -> frozenset[URIRef]:
    """Every class some shape names with ``sh:targetClass``."""
    graph = shapes if shapes is not None else load_shapes()
    return frozenset(o for o in graph.objects(None, SH.targetClass) if isinstance(o, URIRef))
