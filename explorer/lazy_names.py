"""A package's public names, imported on first use (a PEP 562 module ``__getattr__``).

``explorer.model`` and ``explorer.ingest`` export names from many modules; importing them all
made a coverage question load the parser and the RDF writers it never calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_getattr(package: str, where: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: a name of ``where`` (name -> module) is imported from its
    module and kept in ``namespace`` (the package's globals); any other name is tried as a submodule."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            try:
                return import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":  # the submodule exists; something it imports is missing
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__


__all__ = ["lazy_getattr"]
