"""What is read from the vocabularies, kept on disk between processes (a fresh ``policy-explorer
coverage`` read the lexicon and the disease taxonomy with rdflib's Turtle parser: about 0.3 s).

The cache file (``~/.cache/policy-explorer/vocab/``, honouring ``XDG_CACHE_HOME``) is named by a
hash of the Turtle files read and of the module that builds the object from them, so an edited
vocabulary or builder is read anew, never served stale. A cache that cannot be read or written
is only skipped: the object is built as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """The user cache folder of the vocabulary objects."""
    from platformdirs import user_cache_path

    return user_cache_path("policy-explorer") / "vocab"


def _key(kind: str, files: Sequence[Path], builder: str) -> str:
    digest = hashlib.sha256(f"{kind}\0{sys.version_info[:2]}\0".encode())
    module = sys.modules[builder].__file__
    for path in (Path(module) if module else None, *files):
        if path is None:
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cached(kind: str, files: Sequence[Path], builder: str, build: Callable[[], T]) -> T:
    """``build()``, or what an earlier process built from the same ``files`` with the same code
    (``builder``: the module name of ``build``). Errors of ``build`` propagate (nothing is kept)."""
    try:
        path = cache_dir() / f"{kind}-{_key(kind, files, builder)}.pickle"
    except OSError:  # a file missing: let build() report it
        return build()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            temporary = Path(handle.name)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # whole or absent for a concurrent reader
    except (OSError, pickle.PickleError, TypeError, AttributeError):
        if "temporary" in locals():
            temporary.unlink(missing_ok=True)
    return value
