"""The Policies page's topic filter: what each policy's statements are about, read from the graph.

A topic is a disease a statement names, or one of its broader diseases in the taxonomy (so "lung
cancer" finds the policies about non-small cell lung cancer), or a service a statement is about
(``pol:aboutService``). There is no hand-made list: a new policy brings its own topics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOPICS_QUERY = (Path(__file__).parent / "queries" / "policy-topics.rq").read_text(encoding="utf-8")
KINDS = ("disease", "service")  # the order the filter lists them in


@dataclass(frozen=True, order=True)
class Topic:
    """One filter option: its kind (``disease`` / ``service``) and label (services merged by label)."""

    kind: str
    label: str

    @property
    def key(self) -> str:
        """The option as the page shows it and as a permalink keeps it: ``disease: lung cancer``."""
        return f"{self.kind}: {self.label}"


def _label(value: Any) -> str:
    return " ".join(str(value).split())


def policy_topics(store: Any) -> dict[str, frozenset[Topic]]:
    """Each policy IRI's topics (a policy whose statements name none is absent)."""
    rows = [(str(r.policy), str(r.kind), _label(r.label)) for r in store.query(TOPICS_QUERY)]
    # one option per label whatever its case (two payers' "Liquid Biopsy" / "liquid biopsy")
    spelled: dict[tuple[str, str], str] = {}
    for _, kind, label in sorted(rows):
        spelled.setdefault((kind, label.casefold()), label)
    found: dict[str, set[Topic]] = {}
    for iri, kind, label in rows:
        if label:
            found.setdefault(iri, set()).add(Topic(kind, spelled[(kind, label.casefold())]))
    return {iri: frozenset(topics) for iri, topics in found.items()}


def topic_options(topics: Mapping[str, Iterable[Topic]]) -> list[str]:
    """Every topic's key, diseases first, each kind in alphabetical order."""
    every = {t for ts in topics.values() for t in ts}
    return [t.key for t in sorted(every, key=lambda t: (KINDS.index(t.kind) if t.kind in KINDS else 9,
                                                        t.label.casefold()))]


def matching(topics: Mapping[str, Iterable[Topic]], chosen: Iterable[str]) -> set[str]:
    """IRIs of the policies about any of the ``chosen`` topic keys."""
    wanted = set(chosen)
    return {iri for iri, ts in topics.items() if any(t.key in wanted for t in ts)}
