"""Named-graph RDF stores behind one interface: rdflib or Oxigraph in memory, Oxigraph on disk, or a SPARQL endpoint.

>>> from explorer.store import open_store
>>> with open_store("oxigraph:") as store:
...     store.graph_iris()
[]
"""

from explorer.store.base import PolicyStore
from explorer.store.factory import open_store

__all__ = ["PolicyStore", "open_store"]
