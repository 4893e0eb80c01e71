"""Named-graph RDF stores behind one interface: Oxigraph in memory or on disk, or a SPARQL endpoint.

>>> from explorer.store import open_store
>>> with open_store("memory:") as store:
...     store.graph_iris()
[]
"""

from explorer.store.base import PolicyStore
from explorer.store.factory import open_store

__all__ = ["PolicyStore", "open_store"]
