"""Policy Explorer: medical policies as a provenance-linked RDF knowledge graph."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policy-explorer")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
