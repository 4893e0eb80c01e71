"""What changed in a policy, read from a store: between two of its stored versions, or between its
stored version and a document not ingested ("what would this new document change"). The store is
only read."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from explorer.errors import UnknownPolicyError
from explorer.ingest import parse_policy_file
from explorer.model import facts_to_graph, policy_iri_of
from explorer.store import PolicyStore
from explorer.versions.diff import VersionChanges, VersionMismatchError, compare_versions
from explorer.versions.store import StoredVersion, stored_versions, version_graph


class NoEarlierVersionError(UnknownPolicyError):
    """The store keeps one version of the policy: there is nothing to compare it with."""


def version_name(version: StoredVersion | str) -> str:
    """The short name of a version: the last part of its IRI (``2025-02-12``, ``sha256-3f2a...``)."""
    iri = version.iri if isinstance(version, StoredVersion) else version
    return iri.rpartition("/version/")[2]


def find_version(versions: list[StoredVersion], name: str) -> StoredVersion:
    """The stored version ``name`` names: its IRI, its short name (``2025-02-12``) or ``current``.

    :raises UnknownPolicyError: none does (the message lists the stored ones).
    """
    for v in versions:
        if name in (v.iri, version_name(v)) or (name == "current" and v.current):
            return v
    known = ", ".join(version_name(v) + (" (current)" if v.current else "") for v in versions) or "none"
    raise UnknownPolicyError(f"no version {name!r} in the store (stored versions: {known})")


def stored_changes(store: PolicyStore, policy: str, old: str | None = None,
                   new: str | None = None) -> VersionChanges:
    """The changes from version ``old`` to version ``new`` of ``policy`` (an IRI); by default
    ``new`` is the current version and ``old`` the stored version before it.

    :raises NoEarlierVersionError: no ``old`` was named and the store keeps no version before ``new``.
    """
    versions = _versions(store, policy)
    after = find_version(versions, new) if new else versions[-1]
    if old:
        before = find_version(versions, old)
    else:
        earlier = versions[: versions.index(after)]
        if not earlier:
            raise NoEarlierVersionError(
                f"the store keeps no version of {policy} before {version_name(after)} "
                f"(stored versions: {', '.join(version_name(v) for v in versions)}); "
                "ingest an earlier document, or compare with a document by --with FILE")
        before = earlier[-1]
    return compare_versions(version_graph(store, before.iri), version_graph(store, after.iri))


def document_changes(store: PolicyStore, policy: str, path: str | Path,
                     old: str | None = None) -> VersionChanges:
    """The changes a document not ingested would make to ``policy``'s stored version ``old``
    (default: the current one). The store is not written.

    :raises VersionMismatchError: the document is another policy.
    """
    versions = _versions(store, policy)
    before = find_version(versions, old) if old else versions[-1]
    facts = parse_policy_file(path)
    if str(policy_iri_of(facts)) != str(policy):
        raise VersionMismatchError(f"{Path(path).name} is policy {policy_iri_of(facts)}, not {policy}")
    return compare_versions(version_graph(store, before.iri), facts_to_graph(facts))


def file_changes(old_path: str | Path, new_path: str | Path) -> VersionChanges:
    """The changes between two documents of one policy, neither ingested."""
    old, new = parse_policy_file(old_path), parse_policy_file(new_path)
    if policy_iri_of(old) != policy_iri_of(new):
        raise VersionMismatchError(f"not two versions of one policy: {Path(old_path).name} is "
                                   f"{policy_iri_of(old)}, {Path(new_path).name} is {policy_iri_of(new)}")
    return compare_versions(facts_to_graph(old), facts_to_graph(new))


def _versions(store: PolicyStore, policy: str) -> list[StoredVersion]:
    versions = stored_versions(store, URIRef(policy))
    if not versions:
        raise UnknownPolicyError(f"no stored version of {policy}")
    return versions
