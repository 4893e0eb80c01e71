"""`changes`: what changed between two versions of a policy (``explorer.versions``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from explorer.cli.common import fail, handle_errors, open_cli_store, store_option

SIGNS = {"added": "+", "removed": "-", "criterion-added": "+", "criterion-removed": "-"}
"""The sign before a change in the table; any other kind (reworded, changed ...) is ``~``."""
WIDTH = 150  # characters of a text the table shows; --format json gives every text whole


def _short(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= WIDTH else flat[: WIDTH - 1] + "…"


def _line(kind: str, key: str, old: str | None, new: str | None, detail: str) -> list[str]:
    sign = SIGNS.get(kind, "~")
    label = key + (" criterion" if kind.startswith("criterion") else "")
    note = f"  [{_short(detail)}]" if detail and not kind.startswith("criterion") else ""
    if old and new:
        return [f"  {sign} {label}{note}", f"      was: {_short(old)}", f"      now: {_short(new)}"]
    return [f"  {sign} {label}: {_short(new or old)}{note}"]


def changes_table(data: dict[str, Any]) -> str:
    """The changes as text: a heading per fact type with its counts, a line per change."""
    from explorer.versions.diff import CATEGORIES

    name = lambda v: (v or "?").rpartition("/version/")[2]  # noqa: E731
    lines = [f"{data['policy']}: changes from {name(data['from'])} to {name(data['to'])}"]
    if not any(data[field] for field, _ in CATEGORIES):
        lines.append("no changes: the two versions state the same facts")
    for field, heading in CATEGORIES:
        changes = data[field]
        if not changes:
            continue
        counts: dict[str, int] = {}
        for c in changes:
            counts[c["kind"]] = counts.get(c["kind"], 0) + 1
        lines.append("")
        lines.append(f"{heading}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
        for c in changes:
            lines.extend(_line(c["kind"], c["key"], c["old"], c["new"], c["detail"]))
    return "\n".join(lines)


@click.command()
@click.argument("policy")
@click.argument("new_file", required=False, type=click.Path(path_type=Path))
@click.option("--from", "from_version", metavar="VERSION",
              help="The earlier version: its date as the version IRI ends (2025-02-12) or its IRI. "
                   "Default: the stored version before --to.")
@click.option("--to", "to_version", metavar="VERSION", help="The later version (default: the current one).")
@click.option("--with", "with_file", type=click.Path(path_type=Path), metavar="FILE",
              help="Compare the stored version (--from, default the current one) with this document, "
                   "not ingested; the store is not written.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
@handle_errors
def changes(policy: str, new_file: Path | None, from_version: str | None, to_version: str | None,
            with_file: Path | None, fmt: str, store_url: str | None) -> None:
    """What changed in POLICY (its number, e.g. 051, or IRI) between two stored versions: by
    default its current version and the one before it. `changes OLD_FILE NEW_FILE` compares two
    documents of one policy without a store.

    Statements, criteria, references and prior-authorization sentences found in one version only
    are paired as one fact reworded when their normalised texts are at least 0.8 similar (difflib)
    or one is the other with a lead-in or a tail added.
    """
    from explorer.versions.changes import document_changes, file_changes, stored_changes

    if new_file is not None:
        if from_version or to_version or with_file:
            fail("--from, --to and --with compare stored versions; give POLICY alone with them, "
                 "or two files without them")
        for path in (Path(policy), new_file):
            if not path.is_file():
                fail(f"no such file: {path}")
        result = file_changes(policy, new_file)
    else:
        from explorer.pipeline import resolve_policy

        if with_file is not None and to_version:
            fail("--with FILE is the later version; it cannot be combined with --to")
        if with_file is not None and not with_file.is_file():
            fail(f"no such file: {with_file}")
        with open_cli_store(store_url) as store:
            iri = resolve_policy(store, policy)
            result = (document_changes(store, iri, with_file, from_version) if with_file is not None
                      else stored_changes(store, iri, from_version, to_version))
    data = result.to_json()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else changes_table(data))


def register(cli: click.Group) -> None:
    cli.add_command(changes)
