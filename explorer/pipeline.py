"""Load policy documents into a store: parse, model, validate, reason, and replace one graph each.

This is the one place the ingest pipeline is assembled; the CLI, the app and the benchmark call
:func:`ingest_paths`.  A document that fails leaves the store exactly as it was.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, URIRef
from rdflib.query import ResultRow

from explorer.errors import ExplorerError, PolicyParseError, StoreError, UnknownPolicyError
from explorer.index_upkeep import ensure_span_index
from explorer.ingest import load_lexicon, parse_policy_file
from explorer.ingest.facts import PolicyFacts, facts_to_json
from explorer.model import (
    INFERRED_VOCABULARY_GRAPH,
    VOCABULARY_GRAPH,
    facts_to_graph,
    graph_iri,
    graph_to_facts,
    inferred_graph_iri,
    load_vocabulary_graph,
    policy_iri_of,
    policy_of_graph,
    statement_iris,
)
from explorer.model.iris import payer_of_policy
from explorer.policy_names import match_policies
from explorer.read import DOCUMENT_SUFFIXES
from explorer.store import PolicyStore
from explorer.versions.keep import keep_version

if TYPE_CHECKING:
    from explorer.validate import ValidationResult


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
    inconsistencies: tuple[str, ...] = ()
    payer: str = ""
    family: str | None = None
    codes: int = 0
    pmids: int = 0
    history: int = 0
    dates: int = 0
    kept_as: str = "current"   # or "earlier version (current: {date})": a newer version stays current

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts of a policy this document gave nothing for (each also a warning)."""
        found = {"statements": self.statements, "codes": self.codes, "references": self.references,
                 "history": self.history or self.dates}
        return tuple(part for part, count in found.items() if not count)


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
    """The documents to read, in order, each once: files named (whatever their suffix), the
    documents in folders named (recursive, sorted), and globs (``docs/**/*.pdf``) the shell left
    unexpanded. Dot-files and dot-folders are skipped only *below* what was named, so ``../x``,
    ``.hidden/policies`` and a package installed under ``.venv`` are read. A name that matches
    nothing is kept, so the reader reports it."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(_folder_documents(path))
        elif not path.exists() and any(c in str(raw) for c in "*?["):
            matches = sorted(glob.glob(str(raw), recursive=True))
            found = [Path(m) for m in matches if Path(m).is_file() and _is_document(Path(m))]
            for m in matches:
                if Path(m).is_dir():
                    found.extend(_folder_documents(Path(m)))
            out.extend(found if matches else [path])
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = Path(os.path.abspath(p))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _is_document(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def _folder_documents(folder: Path) -> list[Path]:
    """Documents under a folder, recursively, not descending into dot-folders below it."""
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(parent) / f for f in files if not f.startswith(".") and _is_document(Path(f)))
    return sorted(found)


@dataclass(frozen=True)
class PolicySummary:
    iri: str
    payer: str
    number: str
    title: str
    statements: int
    references: int


def ensure_vocabulary(store: PolicyStore) -> None:
    """Put the ontology + vocabularies, and their OWL RL closure, in their own named graphs (one
    transaction; a store left with only one of them by an older crash is repaired)."""
    present = set(store.graph_iris())
    if str(VOCABULARY_GRAPH) in present and str(INFERRED_VOCABULARY_GRAPH) in present:
        return
    vocabulary = load_vocabulary_graph()
    from explorer.reason import vocabulary_closure

    inferred = Graph()
    for s, p, o in vocabulary_closure():
        # owlrl works on generalized RDF (literal subjects); a store holds plain RDF only
        if isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef) and (s, p, o) not in vocabulary:
            inferred.add((s, p, o))
    store.replace_graphs({str(VOCABULARY_GRAPH): vocabulary, str(INFERRED_VOCABULARY_GRAPH): inferred})


def ingest_paths(
    store: PolicyStore,
    paths: Iterable[str | Path],
    *,
    reason: bool = True,
    on_progress: Callable[[Path], None] | None = None,
    bulk: bool = False,
    workers: int | None = None,
) -> IngestReport:
    """Ingest every document; one bad file is reported and the others go on.

    ``bulk``: on an Oxigraph store, the bulk path (:mod:`explorer.pipeline_bulk`): parse, model and
    reason in ``workers`` processes (default one per core), new policies written many per bulk
    write, each still whole or absent after a crash; policies already in the store are replaced one
    by one as here. Other stores ignore it. ``on_progress`` is called as each document is done.
    """
    if bulk:
        from explorer.pipeline_bulk import ingest_paths_bulk, supports_bulk

        if supports_bulk(store):
            return ingest_paths_bulk(store, document_paths(paths), reason=reason, on_progress=on_progress,
                                     workers=workers)
    ensure_vocabulary(store)
    ensure_span_index(store)  # policies of a store written before the index existed
    report = IngestReport()
    for path, result in _each(document_paths(paths), on_progress):
        if isinstance(result, ExplorerError):
            report.failed.append(IngestFailure(str(path), str(result)))
            continue
        try:
            report.ingested.append(ingest_facts(store, result, reason=reason))
        except StoreError:
            raise  # the store cannot be written (damaged, locked, full): no later document would land either
        except ExplorerError as exc:
            report.failed.append(IngestFailure(str(path), str(exc)))
    return report


def _each(
    paths: list[Path], on_progress: Callable[[Path], None] | None
) -> Iterator[tuple[Path, PolicyFacts | ExplorerError]]:
    lexicon = load_lexicon()
    for path in paths:
        try:
            yield path, parse_policy_file(path, lexicon)
        except PolicyParseError as exc:
            yield path, exc
        except OSError as exc:
            yield path, PolicyParseError(f"{path}: cannot read: {exc.strerror or exc}")
        except Exception as exc:  # a parser bug on one document must not stop the others
            yield path, PolicyParseError(internal_failure(path, exc))
        finally:
            if on_progress is not None:
                on_progress(path)


def internal_failure(path: str | Path, exc: BaseException) -> str:
    """The one-line report of an unexpected error while reading one document (a bug, not bad input):
    the document is skipped, the others go on, and the line says where to look."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (f"{Path(path).name}: internal error while reading it ({type(exc).__name__}: {exc}{where}); "
            "the document was skipped, please report this")


def ingest_facts(store: PolicyStore, facts: PolicyFacts, *, reason: bool = True) -> IngestedPolicy:
    """Replace the policy's graph and its inferred graph (emptied with ``reason=False``) with the facts
    of this document, in one transaction; the version they replace is kept in its version graph. A
    document of an older version than the store's current one is only kept (``kept_as`` says so).

    Everything is computed before the store is touched, so a failure leaves it as it was.
    """
    iri = policy_iri_of(facts)
    graph = facts_to_graph(facts)
    inconsistencies: tuple[str, ...] = ()
    inferred = None
    if reason:
        from explorer.reason import infer_policy

        inference = infer_policy(graph)
        inferred, inconsistencies = inference.graph, inference.inconsistencies
    report = ingested_policy(facts, iri, graph, inferred, inconsistencies)
    # one transaction: a crash leaves the old facts with their old inferences or the new with the new
    # (and an older version than the store's current one is only kept: explorer.versions.keep)
    return replace(report, kept_as=keep_version(store, iri, graph, inferred))


def ingested_policy(facts: PolicyFacts, iri: URIRef, graph: Graph, inferred: Graph | None,
                    inconsistencies: tuple[str, ...]) -> IngestedPolicy:
    """The report line for one policy written to the store."""
    return IngestedPolicy(
        path=facts.path,
        iri=str(iri),
        number=facts.number,
        title=facts.title,
        statements=len(facts.statements),
        references=len(facts.references),
        triples=len(graph),
        inferred=0 if inferred is None else len(inferred),
        warnings=facts.warnings,
        inconsistencies=inconsistencies,
        payer=facts.payer,
        family=facts.family,
        codes=len(facts.codes),
        pmids=sum(1 for r in facts.references if r.pmid),
        history=len(facts.history),
        dates=len(facts.dates),
    )


def policy_graph_iris(store: PolicyStore) -> list[str]:
    """The asserted policy graphs in the store."""
    return [g for g in store.graph_iris() if g.endswith("/graph") and policy_of_graph(g) is not None]


def list_policies(store: PolicyStore) -> list[PolicySummary]:
    """Every policy in the store with its statement and reference counts."""
    from explorer.internal_queries import internal_query

    # over the store's union graph: naming the ~N policy graphs as the default graph made Oxigraph
    # evaluate every pattern over each of them (305 s at 1,000 policies, 0.8 s over the union); the
    # inferred triples cannot add a row (a policy needs its asserted number, title and payer) and
    # the counts are DISTINCT
    rows = store.query(internal_query("policy-summaries"))
    out = []
    for r in rows:
        assert isinstance(r, ResultRow)  # a SELECT result yields rows
        out.append(PolicySummary(
            str(r.policy), str(r.payer), str(r.number), str(r.title), int(r.statements), int(r.references)
        ))
    return out


def resolve_policy(store: PolicyStore, policy: str) -> str:
    """A policy IRI from its IRI, its number (``338``, ``cam 273`` for ``CAM 273``) or
    ``payer/number`` (``molina/051``); unknown or ambiguous -> UnknownPolicyError listing the choices."""
    summaries = list_policies(store)
    found = match_policies(summaries, policy)
    if len(found) == 1:
        return found[0].iri
    if found:
        choices = ", ".join(f"{payer_of_policy(s.iri)}/{s.number} ({s.payer})" for s in found)
        raise UnknownPolicyError(f"policy {policy!r} is ambiguous: {len(found)} payers use that number; "
                                 f"say which: {choices}")
    known = ", ".join(s.number for s in summaries) or "none; run `policy-explorer ingest` first"
    raise UnknownPolicyError(f"no policy {policy!r} in the store (known: {known})")


def load_policy_facts(store: PolicyStore, policy: str) -> PolicyFacts:
    """The facts of one policy, read back from its asserted graph in the store."""
    iri = resolve_policy(store, policy)
    return graph_to_facts(store.get_graph(str(graph_iri(iri))), iri)


def policy_json(store: PolicyStore, policy: str) -> dict[str, Any]:
    """The documented ``show --format json`` contract for one policy."""
    facts = load_policy_facts(store, policy)
    return facts_to_json(facts, str(policy_iri_of(facts)), statement_iris(facts))


def validate_store(store: PolicyStore, policy: str | None = None) -> list[tuple[str, ValidationResult]]:
    """SHACL-validate one policy graph or all of them, each in memory with the vocabulary."""
    from explorer.validate import validate_graph

    iris = [resolve_policy(store, policy)] if policy else [str(policy_of_graph(g)) for g in policy_graph_iris(store)]
    vocabulary = load_vocabulary_graph()
    return [(iri, validate_graph(store.get_graph(str(graph_iri(iri))), vocabulary=vocabulary)) for iri in iris]


def export_graphs(
    store: PolicyStore, policy: str | None = None, *, inferred: bool = False, vocabulary: bool = False
) -> list[tuple[str, Graph]]:
    """(graph IRI, graph) pairs to export: one policy or all, optionally with inferred and vocabulary graphs."""
    policies = (
        [resolve_policy(store, policy)] if policy else [str(policy_of_graph(g)) for g in policy_graph_iris(store)]
    )
    if not policies:
        raise UnknownPolicyError("no policies in the store; run `policy-explorer ingest` first")
    names = [str(graph_iri(p)) for p in policies]
    if inferred:
        present = set(store.graph_iris())
        names += [str(inferred_graph_iri(p)) for p in policies if str(inferred_graph_iri(p)) in present]
    if vocabulary:
        names += [str(VOCABULARY_GRAPH)] + ([str(INFERRED_VOCABULARY_GRAPH)] if inferred else [])
    return [(name, store.get_graph(name)) for name in names]


def reason_store(store: PolicyStore, policy: str | None = None) -> list[tuple[str, int, tuple[str, ...]]]:
    """Re-infer one policy or all: (policy IRI, inferred triple count, inconsistencies) each.

    Each policy is reasoned alone against the vocabulary closure; only its inferred graph is replaced.
    """
    from explorer.reason import infer_policy

    ensure_vocabulary(store)
    iris = [resolve_policy(store, policy)] if policy else [str(policy_of_graph(g)) for g in policy_graph_iris(store)]
    out = []
    for iri in iris:
        inference = infer_policy(store.get_graph(str(graph_iri(iri))))
        store.replace_graph(str(inferred_graph_iri(iri)), inference.graph)
        out.append((iri, len(inference.graph), inference.inconsistencies))
    return out
