"""`query`, `queries` and `reason`: the analysts' SPARQL catalog, ad hoc queries, OWL RL reasoning."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from explorer.cli.common import fail, handle_errors, open_cli_store, store_option
from explorer.cli.output import print_table
from explorer.query.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            fail(f"--param needs NAME=VALUE, got {pair!r}")
        name, value = pair.split("=", 1)
        out[name.strip()] = value
    return out


@click.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option(
    "--file", "file_", type=click.Path(path_type=Path, dir_okay=False), help="Run the query in this .rq file."
)
@click.option("--text", help="Run this SPARQL text.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--timeout", type=float, default=None, help=f"Time limit in seconds (default {DEFAULT_TIMEOUT_S:g}).")
@click.option("--max-rows", type=int, default=None,
              help=f"Row limit (default {DEFAULT_MAX_ROWS}); more rows are cut and said so.")
@click.option("--asserted-only", is_flag=True, help="Query asserted triples only (no inferred graphs).")
@click.option("--offset", type=click.IntRange(min=0), default=0,
              help="Skip this many rows (a page; the total goes to stderr).")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="At most this many rows (a page; the total goes to stderr).")
@store_option
@handle_errors
def query(name: str | None, params: tuple[str, ...], file_: Path | None, text: str | None, fmt: str,
          timeout: float | None, max_rows: int | None, asserted_only: bool, offset: int, limit: int | None,
          store_url: str | None) -> None:
    """Run catalog query NAME (see `policy-explorer queries`), or --file / --text (read-only SPARQL)."""
    from explorer.query.catalog import get_query, load_query_file, parse_query_text
    from explorer.query.formats import to_delimited, to_json, to_table_rows
    from explorer.query.limits import QueryLimits
    from explorer.query.runner import asserted_graphs, run_query

    if sum(x is not None for x in (name, file_, text)) != 1:
        fail("give exactly one of NAME, --file or --text")
    if name is not None:
        named = get_query(name)
    elif file_ is not None:
        named = load_query_file(file_, strict=False)
    else:
        named = parse_query_text(text or "")
    limits = QueryLimits()
    if timeout is not None:
        limits = replace(limits, timeout_s=timeout)
    if max_rows is not None:
        limits = replace(limits, max_rows=max_rows)
    values: dict[str, object] = dict(_params(params))
    if named.parameter("disease") is not None and "disease" in values:
        values["disease"] = _disease_label(str(values["disease"]))
    with open_cli_store(store_url) as store:
        graphs = asserted_graphs(store) if asserted_only else None
        result = run_query(store, named, values, limits=limits, graphs=graphs, offset=offset, limit=limit)
    if fmt == "json":
        click.echo(to_json(result))
    elif fmt in ("csv", "tsv"):
        click.echo(to_delimited(result, "," if fmt == "csv" else "\t"), nl=False)
    else:
        header, rows = to_table_rows(result)
        print_table(header, rows)
    if result.truncated:
        click.echo(f"warning: result cut at {limits.max_rows} rows (--max-rows)", err=True)
    if (offset or limit is not None) and (result.total is not None or result.total_at_least is not None):
        shown = f"rows {offset + 1}-{offset + len(result.rows)}" if result.rows else "no rows"
        click.echo(f"{shown} of {result.total_text} (--offset {offset}, --limit {limit})", err=True)


def _disease_label(value: str) -> str:
    """An ICD-10-CM code becomes its disease's label; labels and synonyms pass through."""
    from explorer.diagnoses import disease_for_label
    from explorer.vocab.lexicon import load_lexicon

    if load_lexicon().diseases.lookup(value) is not None:
        return value
    slug = disease_for_label(value)
    if slug is None:
        return value
    term = next(t for t in load_lexicon().diseases if t.slug == slug)
    return term.label


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@store_option
@handle_errors
def queries(fmt: str, store_url: str | None) -> None:
    """List the query catalog: names, titles, parameters (the same for every store; --store is accepted
    like every command's, and not opened)."""
    import json

    from explorer.query.catalog import load_catalog

    catalog = load_catalog()
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "title": q.title, "description": q.description, "columns": list(q.columns),
             "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                             "description": p.description} for p in q.parameters]}
            for q in catalog.values()], indent=2))
        return
    rows = [[q.name, q.title, ", ".join(f"{p.name}{'' if p.required else '?'}" for p in q.parameters)]
            for q in catalog.values()]
    print_table(["name", "title", "parameters"], rows)


@click.command()
@click.argument("policy", required=False)
@store_option
@handle_errors
def reason(policy: str | None, store_url: str | None) -> None:
    """Re-run OWL RL reasoning for POLICY (or every policy); exit 1 if any graph is inconsistent."""
    from explorer.pipeline import reason_store

    with open_cli_store(store_url) as store:
        results = reason_store(store, policy)
    bad = 0
    for iri, inferred, inconsistencies in results:
        problems = f", {len(inconsistencies)} inconsistencies" if inconsistencies else ""
        click.echo(f"{iri}: {inferred} inferred triples{problems}")
        for message in inconsistencies:
            click.echo(f"  inconsistent: {message}")
        bad += bool(inconsistencies)
    if not results:
        fail("no policies in the store; run `policy-explorer ingest` first")
    if bad:
        sys.exit(1)


def register(cli: click.Group) -> None:
    for command in (query, queries, reason):
        cli.add_command(command)
