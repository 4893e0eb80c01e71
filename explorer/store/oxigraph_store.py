"""The Oxigraph backend, in memory or on disk (``oxigraph:PATH``).

Each policy is a named graph; the default graph holds their union, kept up to date by every write
in the same transaction (see :mod:`explorer.store.updates`), so queries over all graphs run on the
default graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from explorer.errors import QueryError, StoreError
from explorer.internal_queries import internal_query
from explorer.sparql.values import inject_bindings
from explorer.store.base import ClosesOnExit, CountsWrites, outside_union
from explorer.store.oxigraph_plans import planned_text
from explorer.store.results import ask_result, graph_result, query_form, select_result
from explorer.store.terms import OxTerm, from_ox, to_ox, triples_to_graph
from explorer.store.updates import (
    BULK_JOURNAL,
    bulk_journal_update,
    bulk_recovery_update,
    drop_graph_update,
    rebuild_union_update,
    replace_graphs_update,
)

# Names RocksDB (Oxigraph's on-disk engine) gives its files: a folder holding any is a store.
STORE_FILE_NAMES = ("CURRENT", "IDENTITY", "LOCK", "LOG")
STORE_FILE_PATTERNS = ("MANIFEST-*", "OPTIONS-*", "*.sst", "LOG.old.*")


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph store's files (damaged or not)."""
    return any((path / name).exists() for name in STORE_FILE_NAMES) or any(
        next(path.glob(pattern), None) is not None for pattern in STORE_FILE_PATTERNS
    )


def _check_folder(path: Path) -> None:
    """Refuse to turn a folder of other files into a store (Oxigraph would write its files among them)."""
    if path.is_dir() and next(path.iterdir(), None) is not None and not is_store_folder(path):
        raise StoreError(f"store {path} is a folder of other files, not an Oxigraph store; "
                         "name a new or empty folder for a store")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


class OxigraphStore(CountsWrites, ClosesOnExit):
    """A pyoxigraph Store; ``path=None`` keeps everything in memory."""

    def __init__(self, url: str, path: Path | None = None) -> None:
        self.url = url
        self.path = path
        self._store: ox.Store | None = None
        if path is not None:
            _check_folder(path)
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(f"store {path} is locked: another process has it open ({_one_line(exc)})") from exc
            raise StoreError(f"cannot open store {path}: {_one_line(exc)}") from exc
        except RuntimeError as exc:  # RocksDB reports a damaged store (bad CURRENT, short .sst) so
            raise self._damaged(exc) from exc
        try:
            self._recover_bulk()
            self._ensure_union_default()
        except BaseException:
            self._store = None
            raise

    def _damaged(self, exc: BaseException) -> StoreError:
        where = self.path if self.path is not None else self.url
        return StoreError(f"store {where} is damaged or unreadable ({_one_line(exc)}); "
                          "restore it from a backup or ingest the policies into a new store")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn RocksDB's corruption errors (``RuntimeError``) into a StoreError naming the store."""
        try:
            yield
        except RuntimeError as exc:
            raise self._damaged(exc) from exc

    def _rows(self, answer: ox.QuerySolutions, names: list[str]) -> Iterator[dict[str, Node | None]]:
        with self._reading():
            for s in answer:
                yield {n: (from_ox(s[n]) if s[n] is not None else None) for n in names}

    def _ensure_union_default(self) -> None:
        """Rebuild the default graph of a store written before it held the union of the graphs."""
        store = self._ox
        with self._reading():
            empty_default = next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None
            named = next(iter(store.named_graphs()), None) is not None
        if empty_default and named:
            self._write(rebuild_union_update())

    @property
    def _ox(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"store {self.url} is closed")
        return self._store

    # -- the bulk path: many new graphs per write ------------------------------------------------------

    def bulk_add_graphs(self, nquads: bytes, graph_iris: Sequence[str], ntriples: bytes | None = None) -> None:
        """Add new named graphs (``nquads``, N-Quads naming only ``graph_iris``, none of them in the
        store yet) with pyoxigraph's bulk loader, and their triples to the default graph's union but
        those of earlier versions' graphs (``base.outside_union``), which stay out of it.
        ``ntriples``, the union's triples without graph names and free of blank nodes, lets both loads
        run in Oxigraph's parser alone (a loader renames blank nodes, so data holding any is passed
        quad by quad instead, keeping each blank node one node in both graphs).

        The bulk loader is not transactional, so a journal makes the batch whole or absent, per graph:
        the graphs are listed as pending (one transaction), their quads bulk-loaded, marked as written
        (one transaction), their triples bulk-loaded into the default graph, and the journal cleared.
        A process killed in between leaves the journal, and the next open of the store drops the
        pending graphs (half-loaded) and completes the union for the written ones; a write that fails
        does the same at once and raises StoreError.
        """
        if not graph_iris:
            return
        self._write(bulk_journal_update(graph_iris, "pending"))
        try:
            if ntriples is not None:
                self._ox.bulk_load(nquads, ox.RdfFormat.N_QUADS, lenient=True)
            else:
                self._ox.bulk_extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True))
            self._write(bulk_journal_update(graph_iris, "written"))
            if ntriples is not None:
                self._ox.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
            else:
                self._ox.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                                     for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
                                     if not (isinstance(q.graph_name, ox.NamedNode)
                                             and outside_union(q.graph_name.value)))
            self._write(bulk_journal_update(graph_iris, None))
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            self._recover_bulk()
            raise StoreError(f"cannot write to store {self.url}: {_one_line(exc)}") from exc

    def _recover_bulk(self) -> None:
        """Finish or undo a bulk write a crash interrupted (see :meth:`bulk_add_graphs`), in one update."""
        journal = ox.NamedNode(BULK_JOURNAL)
        with self._reading():
            if next(self._ox.quads_for_pattern(None, None, None, journal), None) is None:
                return
            state: dict[str, list[str]] = {"pending": [], "written": []}
            for q in self._ox.quads_for_pattern(None, None, None, journal):
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal):
                    state.setdefault(q.object.value, []).append(q.subject.value)
        self._write(bulk_recovery_update(state["pending"], state["written"]))

    def dump_nquads(self, path: Path) -> None:
        """Write every quad (the named graphs and the default graph's union) to ``path`` as N-Quads."""
        try:
            self._ox.dump(str(path), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            raise StoreError(f"cannot dump store {self.url} to {path}: {_one_line(exc)}") from exc

    def load_nquads(self, path: Path) -> None:
        """Bulk-load a :meth:`dump_nquads` file into this (empty) store; one file, so each blank node
        stays one node in its graph and in the union. Not transactional: meant for a new store.

        :raises StoreError: the file is unreadable or not N-Quads.
        """
        self._wrote()
        try:
            self._ox.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot load {path} into store {self.url}: {_one_line(exc)}") from exc
        finally:
            self._wrote()

    def quad_count(self) -> int:
        """Every quad, the default graph's included."""
        return len(self._ox)

    def optimize(self) -> None:
        """Compact the store after a bulk load (RocksDB merges the many files bulk loads write)."""
        try:
            self._ox.optimize()
        except OSError as exc:
            raise StoreError(f"cannot optimize store {self.url}: {_one_line(exc)}") from exc

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Convert every triple first, then drop and insert in one transactional update."""
        self.replace_graphs({graph_iri: graph})

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Every graph, and the default graph's union, in one SPARQL Update: one Oxigraph transaction."""
        if graphs:
            self._write(replace_graphs_update(graphs, union_default=True))

    def remove_graph(self, graph_iri: str) -> None:
        self._write(drop_graph_update(graph_iri, union_default=True))

    def _write(self, update: str) -> None:
        self._wrote()  # before and after: a cache read during the write is keyed by a revision gone stale
        try:
            self._ox.update(update)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot write to store {self.url}: {_one_line(exc)}") from exc
        except RuntimeError as exc:
            raise self._damaged(exc) from exc
        finally:
            self._wrote()

    def graph_iris(self) -> list[str]:
        with self._reading():
            return sorted(
                g.value
                for g in self._ox.named_graphs()
                if isinstance(g, ox.NamedNode) and g.value != BULK_JOURNAL
                and next(self._ox.quads_for_pattern(None, None, None, g), None)
            )

    def get_graph(self, graph_iri: str) -> Graph:
        name = ox.NamedNode(graph_iri) if _valid_iri(graph_iri) else None
        if name is None:
            raise StoreError(f"invalid graph IRI {graph_iri!r}")
        with self._reading():
            return triples_to_graph(self._ox.quads_for_pattern(None, None, None, name))

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Result:
        # VALUES rather than pyoxigraph substitutions, which only accept projected variables.
        text = inject_bindings(sparql, bindings)
        with self._query_errors():
            return self._to_result(text, self._ox.query(text, **_dataset(graphs, named_graphs)))  # type: ignore[arg-type]

    def query_plain(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[str] | None = None,
        plan: str | None = None,
    ) -> tuple[list[str], Iterator[tuple[OxTerm | None, ...]]]:
        """A SELECT's columns and its rows as pyoxigraph terms, read lazily (no rdflib objects:
        the runner's fast path for JSON, CSV and table output). ``plan``: a catalog query's plan
        hint (:mod:`explorer.store.oxigraph_plans`), applied to the checked, bound text. Same
        errors as :meth:`query`."""
        text = planned_text(inject_bindings(sparql, bindings), plan)
        with self._query_errors():
            answer = self._ox.query(text, **_dataset(graphs, None))  # type: ignore[arg-type]
        return self._solutions(answer)

    def query_terms(
        self, sparql: str, bindings: Mapping[str, Node], *, plan: str | None = None,
    ) -> tuple[list[str], Iterator[tuple[OxTerm | None, ...]]]:
        """:meth:`query_plain` with ``bindings`` handed to the engine as terms (pyoxigraph
        substitutions), never written into the text, so there is no text for the guard to check
        again (5-30 ms a new value; the library's own queries, e.g. the coverage index's). Each
        bound variable must be one the query projects. ``plan``: as for :meth:`query_plain`.

        :raises QueryError: a bound variable the query does not project, or bad text.
        """
        substitutions = {ox.Variable(name): to_ox(term) for name, term in bindings.items()}
        try:
            with self._query_errors():
                answer = self._ox.query(planned_text(sparql, plan), substitutions=substitutions)  # type: ignore[arg-type]
        except StoreError as exc:
            if "projection" in str(exc):  # pyoxigraph's RuntimeError for a variable not projected
                raise QueryError(f"cannot bind: {exc.__cause__}") from None
            raise
        return self._solutions(answer)

    def _solutions(self, answer: object) -> tuple[list[str], Iterator[tuple[OxTerm | None, ...]]]:
        """A SELECT answer's columns and its rows, read lazily; QueryError for any other form."""
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in answer.variables]
        return names, self._plain_rows(answer)

    @contextmanager
    def _query_errors(self) -> Iterator[None]:
        """pyoxigraph's errors as the explorer's: bad text, unreadable or damaged store."""
        try:
            yield
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot query store {self.url}: {exc}") from exc
        except RuntimeError as exc:
            raise self._damaged(exc) from exc

    def _plain_rows(self, answer: ox.QuerySolutions) -> Iterator[tuple[OxTerm | None, ...]]:
        with self._reading():
            for s in answer:  # a solution iterates its values in the columns' order, None where unbound
                yield tuple(s)

    def _to_result(self, sparql: str, answer: object) -> Result:
        if isinstance(answer, ox.QueryBoolean):
            return ask_result(bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            # lazy: read only as many solutions as the caller takes (the runner stops at its row limit)
            return select_result(names, self._rows(answer, names))
        if isinstance(answer, ox.QueryTriples):
            form = "DESCRIBE" if query_form(sparql) == "DESCRIBE" else "CONSTRUCT"
            return graph_result(triples_to_graph(answer), form)
        raise StoreError(f"unexpected query answer {type(answer).__name__}")

    def rdflib_dataset(self) -> Dataset:
        """The same Oxigraph store seen through rdflib's Dataset API (oxrdflib), for rdflib-based tools.

        Writes through it bypass :meth:`replace_graph`'s all-or-nothing guarantee; use it to read.
        """
        from oxrdflib import OxigraphStore as RdflibOxigraphStore

        return Dataset(store=RdflibOxigraphStore(store=self._ox))

    def stats(self) -> dict[str, int]:
        iris = self.graph_iris()
        with self._reading():
            answer = self._ox.query(internal_query("store-count-named-quads"))
            assert isinstance(answer, ox.QuerySolutions)
            count = next(iter(answer))[0]
        return {"graphs": len(iris), "triples": int(count.value) if count is not None else 0}

    def close(self) -> None:
        """Drop the pyoxigraph store, releasing the directory lock."""
        store, self._store = self._store, None
        if store is not None and self.path is not None:
            with self._reading():
                store.flush()


def _dataset(graphs: Sequence[str] | None, named_graphs: Sequence[str] | None) -> dict[str, object]:
    """pyoxigraph's dataset arguments: the default graph is the union of ``graphs`` (None: the
    stored union of every graph), ``GRAPH`` sees ``named_graphs`` (None: every named graph)."""
    scope: dict[str, object] = {} if graphs is None else {"default_graph": [to_ox(URIRef(g)) for g in graphs]}
    if named_graphs is not None:
        scope["named_graphs"] = [to_ox(URIRef(g)) for g in named_graphs]
    return scope


__all__ = ["OxigraphStore"]

