"""Writing a version of a policy into a store: the newest stays current, earlier ones are kept.

Which version is current: the newest by its date (``date_order_key``: ``2025-10`` counts as
``2025-10-01``). A document of the current version (same version IRI: one dated version rendered
again) replaces it, as does an undated document, or any document while the current one is undated
(nothing says which came first); the version it replaces is kept if it is another version. A
document older than the current version is only kept. Everything is one ``replace_graphs``
transaction: the policy's asserted, inferred and index graphs, the old current version moved to its
version graph, and every graph whose ``prov:wasRevisionOf`` link changes (each dated version links
to the dated version before it). The index graph is derived from the current graph whenever that is
written (earlier versions' graphs are outside the union and have none).
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from explorer.errors import StoreError
from explorer.model.iris import graph_iri, index_graph_iri, inferred_graph_iri, version_graph_iri
from explorer.model.namespace import POL
from explorer.model.span_index import span_index
from explorer.model.version_rdf import date_order_key
from explorer.store import PolicyStore
from explorer.versions.store import StoredVersion, stored_versions

CURRENT = "current"


def keep_version(store: PolicyStore, policy: URIRef, graph: Graph, inferred: Graph | None) -> str:
    """Write one version of ``policy`` (``graph``: its asserted triples, one ``dcterms:hasVersion``;
    ``inferred``: their OWL RL inferences; the index graph is derived here) and return where it went: ``"current"``, or
    ``"earlier version (current: {date})"``. ``graph`` gains its ``prov:wasRevisionOf`` link."""
    version = version_of(graph, policy)
    date = date_of(graph, version)
    found = stored_versions(store, policy)
    stored = [v for v in found if v.iri != str(version) or v.current]   # a kept copy of it is rewritten
    current = next((v for v in stored if v.current), None)
    writes: dict[str, Graph] = {}
    contents: dict[str, Graph] = {}   # version IRI -> its graph as it will be written
    if becomes_current(date, version, current):
        writes[str(graph_iri(policy))] = graph
        writes[str(inferred_graph_iri(policy))] = inferred if inferred is not None else Graph()
        contents[str(version)] = graph
        if any(not v.current and v.iri == str(version) for v in found):  # now current: its kept copy goes
            writes[str(version_graph_iri(version))] = Graph()
        stored = [v for v in stored if not v.current]
        if current is not None and current.iri != str(version):
            moved = StoredVersion(current.iri, current.date, str(version_graph_iri(current.iri)), False,
                                  current.revises)
            writes[moved.graph] = contents[moved.iri] = store.get_graph(current.graph)
            stored.append(moved)
        kept_as = CURRENT
        new = StoredVersion(str(version), date, str(graph_iri(policy)), True)
    else:
        assert current is not None
        new = StoredVersion(str(version), date, str(version_graph_iri(version)), False)
        writes[new.graph] = contents[new.iri] = graph
        kept_as = earlier_version(current.date)
    everything = [*stored, new]
    links = revision_links(everything)
    for v in everything:
        if v.iri not in contents and v.revises != links.get(v.iri):
            writes[v.graph] = contents[v.iri] = store.get_graph(v.graph)
        if v.iri in contents:
            _relink(contents[v.iri], URIRef(v.iri), links.get(v.iri))
    current_graph = writes.get(str(graph_iri(policy)))
    if current_graph is not None:  # the index always matches the current graph as written
        writes[str(index_graph_iri(policy))] = span_index(current_graph)
    store.replace_graphs(writes)
    return kept_as


def earlier_version(current_date: str | None) -> str:
    """Where a version older than the current one went, as the ingest report says it."""
    return f"earlier version (current: {current_date})"


def version_of(graph: Graph, policy: URIRef) -> URIRef:
    versions = [v for v in graph.objects(policy, DCTERMS.hasVersion) if isinstance(v, URIRef)]
    if len(versions) != 1:
        raise StoreError(f"a policy graph of {policy} names {len(versions)} versions, not one")
    return versions[0]


def date_of(graph: Graph, version: URIRef) -> str | None:
    date = graph.value(version, POL.versionDate)
    return None if date is None else str(date)


def becomes_current(date: str | None, version: URIRef | str, current: StoredVersion | None) -> bool:
    """The newest version stays current; a re-rendered or undated one replaces (see the module doc)."""
    if current is None or current.iri == str(version) or date is None or current.date is None:
        return True
    return date_order_key(date) >= date_order_key(current.date)


def revision_links(versions: list[StoredVersion]) -> dict[str, str]:
    """Each dated version -> the dated version before it (undated ones are left unlinked)."""
    dated = sorted((v for v in versions if v.date is not None),
                   key=lambda v: (date_order_key(v.date or ""), v.iri))
    return {newer.iri: older.iri for older, newer in zip(dated, dated[1:], strict=False)}


def _relink(graph: Graph, version: URIRef, revises: str | None) -> None:
    graph.remove((version, PROV.wasRevisionOf, None))
    if revises is not None:
        graph.add((version, PROV.wasRevisionOf, URIRef(revises)))


__all__ = ["CURRENT", "becomes_current", "date_of", "earlier_version", "keep_version", "revision_links", "version_of"]
