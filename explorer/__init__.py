"""Policy Explorer: medical policies as a provenance-linked RDF knowledge graph."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policy-explorer")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"


# --- Python API: a handful of functions, each returning typed results --------------------------

def open_corpus(paths=None, store: str = "oxigraph:"):  # type: ignore[no-untyped-def]
    """Open ``store`` and ingest ``paths`` (default: the bundled policies) into it; returns the store."""
    from explorer.corpus import ingest_paths
    from explorer.resources import policies_dir
    from explorer.store import open_store

    opened = open_store(store)
    ingest_paths(opened, list(paths) if paths is not None else [policies_dir()])
    return opened


def coverage(store, *, code: str, diagnosis: str | None, product: str, setting: str,  # type: ignore[no-untyped-def]
             prior_hct: str | None = None):
    """The :class:`explorer.determination.Determination` for a coverage question."""
    from explorer.determination import determine

    return determine(store, code=code, diagnosis=diagnosis, product=product, setting=setting, prior_hct=prior_hct)


def run_named_query(store, name: str, **params: object):  # type: ignore[no-untyped-def]
    """Run catalog query ``name`` with ``params``; returns a :class:`explorer.query.runner.QueryResult`."""
    from explorer.query.catalog import get_query
    from explorer.query.runner import run_query

    return run_query(store, get_query(name), params)


def export(store, fmt: str = "ttl", policy: str | None = None, *, inferred: bool = False) -> str:  # type: ignore[no-untyped-def]
    """A policy (or the corpus) serialized as ``ttl``, ``nt``, ``nq``, ``trig`` or ``jsonld``."""
    from explorer.corpus import export_graphs
    from explorer.render.rdf_export import serialize_graphs

    return serialize_graphs(export_graphs(store, policy, inferred=inferred), fmt)


__all__ = ["__version__", "coverage", "export", "open_corpus", "run_named_query"]
