"""`ingest`, `list`, `show` and `validate`: getting policies in, and looking at them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from explorer.cli.common import fail, handle_errors, open_cli_store, store_option
from explorer.cli.output import print_table


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--no-reason", is_flag=True, help="Skip OWL RL reasoning (inferred graphs).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, only the summary.")
@handle_errors
def ingest(paths: tuple[Path, ...], store_url: str | None, no_reason: bool, quiet: bool) -> None:
    """Parse policy documents (files or folders) into the store, one named graph per policy.

    Exit code 2 if any document failed; the others are ingested all the same.
    """
    from rich.console import Console
    from rich.progress import Progress

    from explorer.pipeline import document_paths, ingest_paths
    from explorer.pipeline_bulk import bulk_helps
    from explorer.read import DOCUMENT_SUFFIXES

    docs = document_paths(paths)
    if not docs:
        fail(f"no policy documents ({' '.join('*' + x for x in DOCUMENT_SUFFIXES)}) under {', '.join(map(str, paths))}")
    with (
        open_cli_store(store_url) as store,
        Progress(console=Console(stderr=True), disable=quiet or not sys.stderr.isatty(), transient=True) as progress,
    ):
        task = progress.add_task("ingesting", total=len(docs))
        report = ingest_paths(store, docs, reason=not no_reason, on_progress=lambda _: progress.advance(task),
                              bulk=bulk_helps(store, docs))
    rows = [
        [Path(p.path).name[:48], p.payer[:28], p.number[:24], p.title[:48], p.statements, p.codes, p.references,
         p.pmids, p.history + p.dates, p.triples, p.inferred, ", ".join(p.missing) or "-", p.kept_as]
        for p in report.ingested
    ]
    # "kept as": current, or "earlier version (current: DATE)" when the store holds a newer version
    print_table(["document", "payer", "policy", "title", "statements", "codes", "references", "pmids",
                 "dates", "triples", "inferred", "not found", "kept as"], rows)
    for p in report.ingested:
        for w in p.warnings:
            click.echo(f"warning: {p.path}: {w}", err=True)
    click.echo(f"{len(report.ingested)} ingested, {len(report.failed)} failed")
    for f in report.failed:
        click.echo(f"failed: {f.error}", err=True)
    if report.failed:
        sys.exit(2)


@click.command(name="list")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@handle_errors
def list_policies(store_url: str | None, fmt: str) -> None:
    """The policies in the store."""
    from explorer.pipeline import list_policies as listing

    with open_cli_store(store_url) as store:
        policies = listing(store)
    if fmt == "json":
        click.echo(json.dumps([p.__dict__ for p in policies], indent=2))
    else:
        print_table(["payer", "number", "title", "statements", "references"],
                    [[p.payer, p.number, p.title, p.statements, p.references] for p in policies])


@click.command()
@click.argument("policy")
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@handle_errors
def show(policy: str, store_url: str | None, fmt: str) -> None:
    """Everything the store knows of one POLICY (its number, e.g. 338 or "CAM 273", payer/number,
    e.g. molina/051, or its IRI)."""
    from explorer.pipeline import policy_json

    with open_cli_store(store_url) as store:
        data = policy_json(store, policy)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    p = data["policy"]
    click.echo(f"{p['payer']} medical policy {p['number']}: {p['title']}")
    click.echo(f"Applies to: {', '.join(data['applies_to'])}")
    if p["source"]["url"] or p["source"]["retrieved"]:
        url, retrieved = p["source"]["url"] or "URL not recorded", p["source"]["retrieved"] or "unknown"
        click.echo(f"Source: {url} (retrieved {retrieved})")
    click.echo("\nStatements:")
    for s in data["statements"]:
        click.echo(f"  [{s['status']}] {s['text']}")
    click.echo("\nPrior authorization:")
    for pa in data["prior_authorization"]:
        required = {True: "required", False: "not required", None: "see note"}[pa["required"]]
        where = " / ".join(v for v in (pa["product"] or pa.get("line_of_business") or "the policy",
                                       pa["setting"]) if v)
        via = f" through {pa['reviewer']}" if pa.get("reviewer") else ""
        click.echo(f"  {where}: {required}{via}")
    click.echo("\nCodes: " + ", ".join(f"{c['system']} {c['code']}" for c in data["codes"]))
    click.echo(f"History: {len(data['history'])} rows; references: {len(data['references'])} "
               f"({sum(1 for r in data['references'] if r['pmid'])} with a PMID)")


@click.command()
@click.argument("policy", required=False)
@store_option
@handle_errors
def validate(policy: str | None, store_url: str | None) -> None:
    """Check policy graphs against the SHACL shapes. Exit 0 conforms, 1 does not, 2 could not load."""
    from explorer.pipeline import validate_store

    with open_cli_store(store_url) as store:
        results = validate_store(store, policy)
    bad = 0
    for iri, result in results:
        if result.conforms:
            click.echo(f"{iri}: conforms" + (f" with warnings\n{result.text}" if result.violations else ""))
        else:
            bad += 1
            click.echo(f"{iri}: does not conform\n{result.text}")
    if not results:
        fail("no policies in the store; run `policy-explorer ingest` first")
    if bad:
        sys.exit(1)


def register(cli: click.Group) -> None:
    for command in (ingest, list_policies, show, validate):
        cli.add_command(command)
