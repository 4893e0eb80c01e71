"""The export formats and how each is written, from what the caller has read: named graphs ->
RDF serializations, policy facts -> a schema.org JSON-LD block, an evidence graph -> GraphML, CSV
tables or a self-contained HTML graph.

Pure: nothing here opens a store or picks graphs; ``explorer.exporting.export`` does that (for the
CLI and the app alike) and hands the graphs, facts or evidence graph to these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from explorer.errors import ExplorerError

RDF_FORMATS = ("ttl", "nt", "trig", "nq", "rdfxml", "jsonld")
EXPORT_FORMATS = (*RDF_FORMATS, "schemaorg", "graphml", "csv", "html")

#: the one table of export formats every face offers (CLI --format, the app's Exports page)
FORMAT_LABELS = {
    "ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "nq": "N-Quads (with graph names)",
    "trig": "TriG (with graph names)", "rdfxml": "RDF/XML", "schemaorg": "schema.org block (for a web page)",
    "graphml": "GraphML (Gephi, Cytoscape)", "csv": "CSV (nodes and edges)",
    "html": "Evidence graph (self-contained HTML)",
}
_MEDIA = {"rdfxml": "application/rdf+xml", "schemaorg": "text/html", "graphml": "application/graphml+xml",
          "csv": "text/csv", "html": "text/html"}
_SUFFIX = {"rdfxml": ".rdf", "schemaorg": ".html", "graphml": ".graphml", "html": ".html"}


@dataclass(frozen=True)
class ExportFile:
    """One output document; ``part`` is "" for the main file, else a name suffix ("nodes", "edges")."""

    text: str
    media_type: str
    suffix: str
    part: str = ""


@dataclass(frozen=True)
class ExportResult:
    """What was exported: the files, and how much (triples for RDF, nodes/edges for graphs).
    ``dropped`` counts evidence-graph nodes left out by ``max_nodes``."""

    format: str
    files: tuple[ExportFile, ...]
    triples: int = 0
    nodes: int = 0
    edges: int = 0
    dropped: int = 0


def rdf_export(graphs: Sequence[tuple[str, Graph]], fmt: str) -> ExportResult:
    """``graphs`` (name, graph) written in the RDF format ``fmt``."""
    from explorer.render.rdf_export import FORMATS, serialize_graphs

    triples = sum(len(g) for _, g in graphs)
    if fmt == "rdfxml":
        text = rdfxml(graphs)
        return ExportResult(fmt, (ExportFile(text, _MEDIA[fmt], _SUFFIX[fmt]),), triples=triples)
    spec = FORMATS[fmt]
    file = ExportFile(serialize_graphs(graphs, fmt), spec.media_type, spec.suffix)
    return ExportResult(fmt, (file,), triples=triples)


def rdfxml(graphs: Sequence[tuple[str, Graph]]) -> str:
    """The union of ``graphs`` as RDF/XML (named graphs merge: RDF/XML holds one graph)."""
    from explorer.model import PREFIXES

    merged = Graph()
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns)
    for _, graph in graphs:
        for triple in graph:
            merged.add(triple)
    try:
        return merged.serialize(format="pretty-xml")
    except Exception as exc:  # rdflib cannot split some predicate IRIs into XML names
        raise ExplorerError(f"cannot write RDF/XML: {exc}") from None


def evidence_subgraphs(graphs: Sequence[tuple[str, Graph]], nodes: Sequence[Any]) -> list[tuple[str, Graph]]:
    """Each graph narrowed to triples whose subject is an evidence node and whose object is an
    evidence node, a literal, or the subject's ``rdf:type``."""
    ids = {URIRef(n.id) for n in nodes}
    out: list[tuple[str, Graph]] = []
    for name, graph in graphs:
        narrowed = Graph()
        for prefix, ns in graph.namespaces():
            narrowed.bind(prefix, ns)
        for s, p, o in graph:
            if s in ids and (o in ids or isinstance(o, Literal) or p == RDF.type):
                narrowed.add((s, p, o))
        if len(narrowed):
            out.append((name, narrowed))
    return out


def schemaorg_export(facts: Sequence[Any], vocabulary: Graph, page_url: str | None = None) -> ExportResult:
    """One schema.org block per policy's facts; ``page_url`` is the ``url`` of every block (give it
    for a single policy only: the address of the page the block goes in)."""
    from explorer.render.embed import schemaorg_script

    if not facts:
        raise ExplorerError("no policies in the store; run `policy-explorer ingest` first")
    text = "".join(schemaorg_script(f, vocabulary, page_url) for f in facts)
    return ExportResult("schemaorg", (ExportFile(text, _MEDIA["schemaorg"], _SUFFIX["schemaorg"]),))


def graph_export(graph: Any, fmt: str, *, title: str, height: str = "700px", max_nodes: int | None = None,
                 physics: bool = True) -> ExportResult:
    """The evidence ``graph`` (capped at ``max_nodes``) as GraphML, CSV tables or an HTML page."""
    if not graph.nodes:
        raise ExplorerError("no evidence graph to export; run `policy-explorer ingest` first")
    if max_nodes is not None:
        try:
            graph = graph.filter(max_nodes=max_nodes)
        except ValueError as exc:
            raise ExplorerError(str(exc)) from None
    counts = {"nodes": len(graph.nodes), "edges": len(graph.edges), "dropped": graph.dropped}
    if fmt == "graphml":
        from explorer.render.graph_files import evidence_graphml

        files: tuple[ExportFile, ...] = (ExportFile(evidence_graphml(graph), _MEDIA[fmt], _SUFFIX[fmt]),)
    elif fmt == "csv":
        from explorer.render.graph_files import evidence_csv

        tables = evidence_csv(graph)
        files = (ExportFile(tables.nodes, "text/csv", ".csv", "nodes"),
                 ExportFile(tables.edges, "text/csv", ".csv", "edges"))
    else:
        from explorer.render.graph_html import evidence_graph_html

        try:
            page = evidence_graph_html(graph, height=height, title=title, physics=physics)
        except ValueError as exc:
            raise ExplorerError(str(exc)) from None
        files = (ExportFile(page, _MEDIA[fmt], _SUFFIX[fmt]),)
    return ExportResult(fmt, files, **counts)
