"""Policy Explorer: medical policies as a provenance-linked RDF knowledge graph."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from explorer.determination import Determination
    from explorer.query.runner import QueryResult
    from explorer.store import PolicyStore

try:
    __version__ = version("policy-explorer")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"


# --- Python API: a handful of functions, each returning typed results --------------------------

def open_corpus(paths: Iterable[str | Path] | None = None, store: str = "oxigraph:") -> PolicyStore:
    """Open ``store`` and ingest ``paths`` (default: the bundled policies) into it; returns the store.

    The bundled policies in the default in-memory store come from an on-disk cache after the first
    call (:mod:`explorer.corpus_cache`).

    :raises IngestFailedError: a document could not be ingested (each named with its reason); the
        others are in the store, which the error carries as ``store``.
    """
    if paths is None and store == "oxigraph:":
        from explorer.corpus_cache import open_cached_corpus

        return open_cached_corpus().store
    from explorer.errors import IngestFailedError
    from explorer.pipeline import ingest_paths
    from explorer.resources import policies_dir
    from explorer.store import open_store

    opened = open_store(store)
    report = ingest_paths(opened, list(paths) if paths is not None else [policies_dir()])
    if report.failed:
        raise IngestFailedError([f"{f.path}: {f.error}" for f in report.failed], opened)
    return opened


def coverage(store: PolicyStore, *, code: str, diagnosis: str | None, product: str, setting: str,
             prior_hct: str | None = None) -> Determination:
    """The :class:`explorer.determination.Determination` for a coverage question."""
    from explorer.determination import determine

    return determine(store, code=code, diagnosis=diagnosis, product=product, setting=setting, prior_hct=prior_hct)


def run_named_query(store: PolicyStore, name: str, **params: object) -> QueryResult:
    """Run catalog query ``name`` with ``params``; returns a :class:`explorer.query.runner.QueryResult`."""
    from explorer.query.catalog import get_query
    from explorer.query.runner import run_query

    return run_query(store, get_query(name), params)


def export(store: PolicyStore, fmt: str = "ttl", policy: str | None = None, *, inferred: bool = False) -> str:
    """A policy (or the corpus) serialized as ``ttl``, ``nt``, ``nq``, ``trig`` or ``jsonld``."""
    from explorer.pipeline import export_graphs
    from explorer.render.rdf_export import serialize_graphs

    return serialize_graphs(export_graphs(store, policy, inferred=inferred), fmt)


__all__ = ["__version__", "coverage", "export", "open_corpus", "run_named_query"]
