"""The bundled corpus built once and cached on disk, so the app and ``open_corpus()`` start fast.

The first start parses, models and reasons the documents (the bulk path) into an in-memory Oxigraph
store and writes it to the user cache folder as an on-disk Oxigraph store (bulk-loaded, compacted)
with a manifest naming each of its files with its size and SHA-256. Later starts copy those files
into a private folder, checking each against the manifest as it is copied, and open the copy (a
running app never writes to the cache; the copy goes when the store is closed or the process ends,
and copies left by processes that died are swept at the next start). Opening a copy takes about a
twentieth of the time loading the same quads from N-Quads into memory took (``docs/benchmarks.md``).

The cache is keyed by the SHA-256 of every source document, of the ontology, vocabularies and layout
profiles, of the package's code that builds the store (not the app, CLI, endpoint, renderers or
benchmarks, which only read it), and by the package version; a stale, missing or damaged cache (bad
manifest, a file missing, short or changed) is rebuilt.

>>> from explorer.corpus_cache import open_cached_corpus
>>> opened = open_cached_corpus()          # doctest: +SKIP
>>> opened.built, opened.store.url         # doctest: +SKIP
(False, 'oxigraph:')
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import warnings
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from explorer.errors import StoreError
from explorer.store import PolicyStore, open_store
from explorer.store.oxigraph_store import OxigraphStore

MEMORY_STORE = "oxigraph:"      # the app's and open_corpus()'s default store: cached when it holds the bundle
CACHE_APP = "policy-explorer"
STORE_FOLDER = "store"          # the cached on-disk Oxigraph store, in the cache's folder
MANIFEST_FILE = "manifest.json"
COPIES_FOLDER = ".open"         # under the cache root: each running process's private copy
SWEEP_AFTER_S = 60              # a copy no process holds is removed once it is this old
FORMAT = 2                      # the cache layout (1: one N-Quads file); a change makes old caches stale
# The package's folders that only read a built store (faces, renderers, benchmarks): an edit there
# leaves the corpus as it was, so it does not rebuild the cache.
READ_ONLY_CODE = frozenset({"app", "cli", "endpoint", "render", "bench", "fuzz"})


@dataclass(frozen=True)
class CachedCorpus:
    """A store holding the corpus, and how it came to be: loaded from the cache or built (and why)."""

    store: PolicyStore
    key: str
    folder: Path
    built: bool
    why: str            # "cached", "no cache", "stale" (the key changed), or what was damaged
    seconds: float
    policies: int
    failed: tuple[str, ...] = ()


def default_cache_dir() -> Path:
    """The user cache folder (``~/.cache/policy-explorer`` on Linux; honours ``XDG_CACHE_HOME``)."""
    from platformdirs import user_cache_path

    return user_cache_path(CACHE_APP) / "corpus"


def corpus_key(documents: Iterable[Path]) -> str:
    """SHA-256 over the sources, the ontology, vocabularies and profiles, the package's code and version."""
    from explorer import __version__
    from explorer.resources import formats_dir, ontology_dir, vocab_dir

    digest = hashlib.sha256(f"format {FORMAT}\nversion {__version__}\n".encode())
    code = Path(__file__).resolve().parent
    parts: list[tuple[str, Path]] = [(f"source {p.name}", p) for p in documents]
    for label, folder, pattern in (("ontology", ontology_dir(), "*.ttl"), ("vocab", vocab_dir(), "*.ttl"),
                                   ("formats", formats_dir(), "*.toml")):
        parts += [(f"{label} {p.name}", p) for p in sorted(folder.glob(pattern))]
    # the package's code but its read-only faces: reading, parsing, modelling and reasoning span many
    # modules, which move; an edit in a source checkout (where the version stays) rebuilds the cache
    parts += [(f"code {p.relative_to(code)}", p) for p in sorted(code.rglob("*.py"))
              if "__pycache__" not in p.parts and p.relative_to(code).parts[0] not in READ_ONLY_CODE]
    for label, path in parts:
        digest.update(f"{label} {_sha256(path)}\n".encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_cached_corpus(paths: Iterable[str | Path] | None = None, *, cache_dir: Path | None = None,
                       workers: int | None = None) -> CachedCorpus:
    """An Oxigraph store holding ``paths`` (default: the bundled policies): a private copy of the
    cache when it is current, else built in memory and cached.

    :raises StoreError: the corpus cannot be built (a cache that cannot be written is only skipped).
    """
    from explorer.pipeline import document_paths
    from explorer.resources import policies_dir

    start = time.perf_counter()
    documents = document_paths(list(paths) if paths is not None else [policies_dir()])
    key = corpus_key(documents)
    root = cache_dir if cache_dir is not None else default_cache_dir()
    folder = root / key[:32]
    why = "no cache"
    seen = _manifest_text(folder)
    if seen is not None:
        try:
            return _load(folder, seen, key, start)
        except StoreError as exc:
            why = str(exc)
    elif root.is_dir() and any(not p.name.startswith(".") for p in root.iterdir()):
        why = "stale"  # another key's cache (the copies and unfinished writes are dot-folders)
    return _build(documents, root, folder, key, why, start, workers, seen)


def corpus_store(url: str) -> PolicyStore:
    """The app's store: the cached bundled corpus for the in-memory default, else ``open_store(url)``."""
    if url == MEMORY_STORE:
        return open_cached_corpus().store
    from explorer.index_upkeep import index_on_open

    return index_on_open(open_store(url), refused=lambda exc: warnings.warn(
        f"{url}: {exc}; policies ingested by an earlier release lack their source quotes", stacklevel=4))


def _load(folder: Path, manifest_text: str, key: str, start: float) -> CachedCorpus:
    try:
        manifest = json.loads(manifest_text)
    except ValueError as exc:
        raise StoreError(f"unreadable manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("key") != key or manifest.get("format") != FORMAT:
        raise StoreError("manifest of another corpus")
    files, policies, failed = manifest.get("files"), manifest.get("policies"), manifest.get("failed")
    if not isinstance(files, dict) or not files or not isinstance(policies, int) or not isinstance(failed, list):
        raise StoreError("manifest without its files, policies or failures")
    copy, held = _copy_checked(folder / STORE_FOLDER, files, folder.parent / COPIES_FOLDER)
    try:
        store: OxigraphStore = _CorpusCopy(MEMORY_STORE, copy, held)
    except StoreError:
        _discard(copy, held)
        raise
    return CachedCorpus(store, key, folder, False, "cached", time.perf_counter() - start, policies,
                        tuple(str(f) for f in failed))


class _CorpusCopy(OxigraphStore):
    """An Oxigraph store opened on a private copy of the cache, removed when the store is closed,
    collected or the process ends."""

    def __init__(self, url: str, path: Path, held: int | None) -> None:
        super().__init__(url, path)
        self._remove_copy = weakref.finalize(self, _discard, path, held)

    def close(self) -> None:
        super().close()
        self._remove_copy()


def _copy_checked(source: Path, files: dict[str, object], copies: Path) -> tuple[Path, int | None]:
    """Copy the cached store's files (those the manifest names, ``{name: [size, sha256]}``) into a
    new folder under ``copies``, hashing each as it is copied, and lock the folder for as long as
    this process holds it (:func:`_hold`); first sweep the copies no process holds.

    :raises StoreError: a file is missing, unreadable, or its size or checksum is not the manifest's;
        or no copy can be written there (a read-only or full cache folder: the caller builds instead).
    """
    try:
        _sweep_copies(copies)
        copies.mkdir(parents=True, exist_ok=True)
        target = Path(tempfile.mkdtemp(prefix="copy-", dir=copies))
        held = _hold(target)
    except OSError as exc:
        raise StoreError(f"cannot copy the cache into {copies} ({exc.strerror or exc})") from exc
    try:
        for name, expected in files.items():
            if not isinstance(expected, list) or len(expected) != 2 or Path(name).name != name or "\0" in name:
                raise StoreError(f"manifest entry {name!r} is not [size, sha256]")
            digest, size = hashlib.sha256(), 0
            try:
                with open(source / name, "rb") as f, open(target / name, "wb") as out:
                    while block := f.read(1 << 20):
                        digest.update(block)
                        out.write(block)
                        size += len(block)
            except OSError as exc:
                raise StoreError(f"cannot copy {name} ({exc.strerror or exc})") from exc
            if [size, digest.hexdigest()] != expected:
                raise StoreError(f"checksum mismatch ({name})")
    except BaseException:
        _discard(target, held)
        raise
    return target, held


def _hold(copy: Path) -> int | None:
    """An exclusive ``flock`` on the copy's folder, held until :func:`_discard` (or the process's
    end, however it ends): what tells a sweeping process the copy is in use. None where there is
    no ``fcntl`` (copies are then never swept)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        return None
    fd = os.open(copy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return fd


def _discard(copy: Path, held: int | None) -> None:
    shutil.rmtree(copy, ignore_errors=True)
    if held is not None:
        with contextlib.suppress(OSError):
            os.close(held)


def _sweep_copies(copies: Path) -> None:
    """Remove the copies no process holds (their process ended, even killed: the lock went with
    it). A folder younger than ``SWEEP_AFTER_S`` is left: its process may not have locked it yet."""
    try:
        import fcntl  # noqa: F401 - without it no copy is ever held, so none may be swept
    except ImportError:  # pragma: no cover - not on Linux
        return
    if not copies.is_dir():
        return
    for copy in copies.iterdir():
        with contextlib.suppress(OSError):  # BlockingIOError from _hold: another process holds it
            if copy.is_dir() and time.time() - copy.stat().st_mtime >= SWEEP_AFTER_S:
                _discard(copy, _hold(copy))


def _build(documents: list[Path], root: Path, folder: Path, key: str, why: str, start: float,
           workers: int | None, seen: str | None) -> CachedCorpus:
    from explorer.pipeline import ingest_paths

    store = OxigraphStore(MEMORY_STORE)
    report = ingest_paths(store, documents, bulk=True, workers=workers)
    failed = tuple(f"{f.path}: {f.error}" for f in report.failed)
    with contextlib.suppress(OSError, StoreError):  # a read-only or full cache folder: served all the
        _write(store, root, folder, key, len(report.ingested), failed, seen)  # same, built at each start
    return CachedCorpus(store, key, folder, True, why, time.perf_counter() - start, len(report.ingested), failed)


def _manifest_text(folder: Path) -> str | None:
    try:
        return (folder / MANIFEST_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def _written_meanwhile(folder: Path, key: str, seen: str | None) -> bool:
    """Whether another process put a cache of ``key`` in ``folder`` since this one looked (it saw
    ``seen``: no manifest, or the damaged one it is rebuilding)."""
    text = _manifest_text(folder)
    if text is None or text == seen:
        return False
    try:
        manifest = json.loads(text)
    except ValueError:
        return False
    return isinstance(manifest, dict) and manifest.get("key") == key


def _write(store: OxigraphStore, root: Path, folder: Path, key: str, policies: int, failed: tuple[str, ...],
           seen: str | None) -> None:
    """Write the cache in a temporary folder and rename it into place, unless another process put
    one there since this one saw ``seen`` (its manifest then); drop other (stale) caches."""
    from explorer.io_safety import atomic_write_text

    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{key[:32]}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        dump = tmp / "corpus.nq"
        store.dump_nquads(dump)
        on_disk = OxigraphStore(f"oxigraph:{tmp / STORE_FOLDER}", tmp / STORE_FOLDER)
        try:
            on_disk.load_nquads(dump)  # one file: each blank node stays one node in its graph and the union
            on_disk.optimize()
            quads = on_disk.quad_count()
        finally:
            on_disk.close()
        dump.unlink()
        if quads != store.quad_count():
            raise StoreError(f"the cache holds {quads} quads, the store {store.quad_count()}")
        files = {p.name: [p.stat().st_size, _sha256(p)] for p in sorted((tmp / STORE_FOLDER).iterdir())
                 if p.is_file() and p.name != "LOCK"}
        manifest = {"key": key, "format": FORMAT, "quads": quads, "policies": policies,
                    "failed": list(failed), "files": files}
        atomic_write_text(tmp / MANIFEST_FILE, json.dumps(manifest, indent=1))
        if _written_meanwhile(folder, key, seen):
            return  # theirs stays: other processes may be copying it
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for other in root.iterdir():
        if other.is_dir() and other != folder and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


__all__ = ["CachedCorpus", "corpus_key", "corpus_store", "default_cache_dir", "open_cached_corpus"]
