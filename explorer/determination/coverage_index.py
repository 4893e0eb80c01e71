"""The coverage index: code -> policies -> what each policy says, read once per store revision.

A coverage question reads the policies listing a code and, for each, its statements, codes,
criteria, evidence and prior authorization. :class:`CoverageIndex` keeps what it read for one
revision of one store (:attr:`explorer.store.base.PolicyStore.revision`, which every write moves
on): a code's policies, each policy's :class:`~explorer.determination.policy_rows.PolicyFacts`
(one query, the policy bound as an engine term) and the answers given, so a question asked again
runs no SPARQL at all. A store that others can write to (``revision`` None: a SPARQL server) gets
no index: each question reads the store (:class:`QueryPath`, which is also the reference the tests
compare the index with).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable
from typing import Any

from explorer.determination.model import Determination
from explorer.determination.policy_rows import (
    PolicyFacts,
    PolicyHit,
    listed_ranges,
    policies_listing,
    read_by_parts,
    read_in_one,
)
from explorer.store import PolicyStore


def _with_ranges(exact: list[PolicyHit], ranges: list[tuple[PolicyHit, str]], code: str) -> list[PolicyHit]:
    """The policies listing ``code`` itself, then those listing a range holding it (``81162-81167``,
    ``C18-C21``; members computed by :mod:`explorer.ingest.code_ranges`, never stored)."""
    out, seen = list(exact), {h.policy for h in exact}
    if ranges:
        from explorer.ingest.code_ranges import in_range

        for hit, printed in ranges:
            if hit.policy not in seen and in_range(hit.system, code, printed):
                seen.add(hit.policy)
                out.append(hit)
    return out


class QueryPath:
    """Every question read from the store, per part (the reference; stores others write to)."""

    def __init__(self, store: PolicyStore) -> None:
        self.store = store

    def policies_for_code(self, code: str) -> list[PolicyHit]:
        return _with_ranges(policies_listing(self.store, code), listed_ranges(self.store), code)

    def facts(self, policy: str) -> PolicyFacts:
        return read_by_parts(self.store, policy)


class CoverageIndex:
    """What coverage questions read from one revision of one store, filled as questions come."""

    def __init__(self, store: PolicyStore, revision: int) -> None:
        self._store = weakref.ref(store)
        self.revision = revision
        self._ranges: list[tuple[PolicyHit, str]] | None = None
        self._codes: dict[str, tuple[PolicyHit, ...]] = {}
        self._facts: dict[str, PolicyFacts] = {}
        self._answers: dict[Hashable, Determination] = {}

    def _live(self) -> PolicyStore:
        store = self._store()
        if store is None:  # pragma: no cover - the index lives in the store's own cache entry
            raise RuntimeError("the store of this coverage index is gone")
        return store

    def policies_for_code(self, code: str) -> tuple[PolicyHit, ...]:
        """The policies listing ``code`` (as printed, then through a listed range), by number."""
        found = self._codes.get(code)
        if found is None:
            store = self._live()
            if self._ranges is None:
                self._ranges = listed_ranges(store)
            found = tuple(_with_ranges(policies_listing(store, code, as_terms=True), self._ranges, code))
            self._codes[code] = found
        return found

    def facts(self, policy: str) -> PolicyFacts:
        """What the determination reads about ``policy`` (one query the first time)."""
        found = self._facts.get(policy)
        if found is None:
            found = self._facts[policy] = read_in_one(self._live(), policy)
        return found

    def answer(self, question: Hashable) -> Determination | None:
        return self._answers.get(question)

    def remember(self, question: Hashable, answer: Determination) -> None:
        self._answers[question] = answer


_INDEXES: weakref.WeakKeyDictionary[Any, CoverageIndex] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def coverage_index(store: PolicyStore) -> CoverageIndex | None:
    """The index of ``store`` at its current revision (a new one after any write); None for a store
    whose revision says nothing (others write to it) or that cannot be referred to weakly."""
    revision = getattr(store, "revision", None)
    if revision is None:
        return None
    with _LOCK:
        try:
            index = _INDEXES.get(store)
        except TypeError:  # not weakly referable
            return None
        if index is None or index.revision != revision:
            index = _INDEXES[store] = CoverageIndex(store, revision)
        return index


def is_current(index: CoverageIndex, store: PolicyStore) -> bool:
    """Whether nothing was written to ``store`` since ``index`` was made (checked after a question,
    before its answer is kept: a write during the question makes the answer not worth keeping)."""
    return getattr(store, "revision", None) == index.revision
