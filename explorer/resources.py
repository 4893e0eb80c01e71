"""Where the bundled ontology, vocabularies, queries and policies live.

In a wheel they are force-included under ``explorer/_resources``; in a source checkout
(editable install, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def resource_root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``."""
    packaged = Path(str(files("explorer"))) / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def vocab_dir() -> Path:
    return resource_root() / "data" / "vocab"


def formats_dir() -> Path:
    """The payer-family layout profiles (``data/formats/*.toml``)."""
    return resource_root() / "data" / "formats"


def policies_dir() -> Path:
    return resource_root() / "data" / "policies"


def queries_dir() -> Path:
    return resource_root() / "queries"
