"""The one way the package reads its own Turtle (ontology, vocabularies, shapes): a clear
:class:`~explorer.errors.VocabularyError` naming the file, never a parser traceback."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from explorer.errors import VocabularyError


def read_turtle(path: Path, graph: Graph | None = None, *, what: str = "vocabulary file") -> Graph:
    """Parse ``path`` into ``graph`` (a new one by default) and return it."""
    graph = Graph() if graph is None else graph
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise VocabularyError(f"{what} missing: {path}") from exc
    except Exception as exc:  # rdflib raises many parser exception types
        raise VocabularyError(f"{path}: cannot parse Turtle: {exc}") from exc
    return graph
