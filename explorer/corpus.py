"""Load policy documents into a store: parse, model, validate, reason, and replace one graph each.

This is the one place the ingest pipeline is assembled; the CLI, the app and the benchmark call
:func:`ingest_paths`.  A document that fails leaves the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from explorer.errors import ExplorerError, PolicyParseError
from explorer.ingest import load_lexicon, parse_policy_file
from explorer.ingest.facts import PolicyFacts
from explorer.model import VOCABULARY_GRAPH, facts_to_graph, graph_iri, load_vocabulary_graph, policy_iri
from explorer.store import PolicyStore

DOCUMENT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class IngestedPolicy:
    path: str
    iri: str
    number: str
    title: str
    statements: int
    references: int
    triples: int
    inferred: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class IngestFailure:
    path: str
    error: str


@dataclass
class IngestReport:
    ingested: list[IngestedPolicy] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def document_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the policy documents inside folders named (sorted, not recursive into dot-dirs)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix in DOCUMENT_SUFFIXES and not any(part.startswith(".") for part in p.parts)
            )
        else:
            out.append(path)
    return out


def ensure_vocabulary(store: PolicyStore) -> None:
    """Put the ontology and vocabularies in their own named graph (once per store)."""
    if VOCABULARY_GRAPH not in store.graph_iris():
        store.replace_graph(VOCABULARY_GRAPH, load_vocabulary_graph())


def ingest_paths(
    store: PolicyStore,
    paths: Iterable[str | Path],
    *,
    reason: bool = True,
    on_progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Ingest every document; one bad file is reported and the others go on."""
    ensure_vocabulary(store)
    report = IngestReport()
    for path, result in _each(document_paths(paths), on_progress):
        if isinstance(result, ExplorerError):
            report.failed.append(IngestFailure(str(path), str(result)))
            continue
        try:
            report.ingested.append(ingest_facts(store, result, reason=reason))
        except ExplorerError as exc:
            report.failed.append(IngestFailure(str(path), str(exc)))
    return report


def _each(paths: list[Path], on_progress: Callable[[Path], None] | None) -> Iterator[tuple[Path, PolicyFacts | ExplorerError]]:
    lexicon = load_lexicon()
    for path in paths:
        try:
            yield path, parse_policy_file(path, lexicon)
        except PolicyParseError as exc:
            yield path, exc
        finally:
            if on_progress is not None:
                on_progress(path)


def ingest_facts(store: PolicyStore, facts: PolicyFacts, *, reason: bool = True) -> IngestedPolicy:
    """Replace the policy's graph (and its inferred graph) with the facts of this document."""
    iri = policy_iri(facts.payer, facts.number)
    graph = facts_to_graph(facts)
    inferred = 0
    if reason:
        from explorer.reason import reason_policy

        closure = reason_policy(store, str(iri), graph)
        inferred = closure.inferred
    store.replace_graph(str(graph_iri(iri)), graph)
    if reason:
        closure.store()
    return IngestedPolicy(
        path=facts.path,
        iri=str(iri),
        number=facts.number,
        title=facts.title,
        statements=len(facts.statements),
        references=len(facts.references),
        triples=len(graph),
        inferred=inferred,
        warnings=facts.warnings,
    )
