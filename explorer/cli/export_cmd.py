"""`export` (alias `embed`): a policy or the corpus as RDF, schema.org JSON-LD, GraphML, CSV or an HTML graph."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.cli.common import handle_errors, open_cli_store, store_option
from explorer.render.exports import EXPORT_FORMATS


@click.command()
@click.argument("policy", required=False)
@store_option
@click.option("--format", "fmt", default="ttl", show_default=True,
              type=click.Choice(list(EXPORT_FORMATS)),
              help="Output format.")
@click.option("--evidence", is_flag=True,
              help="RDF formats: only the evidence subgraph (diseases, statements, references).")
@click.option("--inferred/--asserted-only", default=False, show_default=True,
              help="RDF formats: include the triples OWL RL reasoning inferred.")
@click.option("--vocabulary", is_flag=True, help="RDF formats: include the ontology and vocabularies.")
@click.option("--height", default="700px", show_default=True, help="html: height of the graph (CSS length).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None,
              help="graphml, csv, html: keep at most this many nodes (the most connected).")
@click.option("--page-url", default=None,
              help="schemaorg: the address of the page the block goes in (its url; default the policy's IRI).")
@click.option("--out", "-o", "out", type=click.Path(path_type=Path), default=None,
              help="Write to FILE (csv: FILE-nodes.csv and FILE-edges.csv). Default: stdout.")
@handle_errors
def export(policy: str | None, store_url: str | None, fmt: str, evidence: bool, inferred: bool, vocabulary: bool,
          height: str, max_nodes: int | None, page_url: str | None, out: Path | None) -> None:
    """Export POLICY (number or IRI) or, without it, the whole corpus, for other tools and web pages."""
    from explorer.exporting import export as export_store
    from explorer.io_safety import atomic_write_text

    with open_cli_store(store_url) as store:
        result = export_store(store, fmt, policy=policy, evidence=evidence, inferred=inferred, vocabulary=vocabulary,
                              height=height, max_nodes=max_nodes, page_url=page_url)
    if out is None:
        for index, file in enumerate(result.files):
            if index:
                click.echo("")   # csv on stdout: the node table, a blank line, the edge table
            click.echo(file.text, nl=False)
    else:
        for file in result.files:
            target = out if not file.part else out.with_name(f"{out.stem}-{file.part}{out.suffix or file.suffix}")
            atomic_write_text(target, file.text)
            click.echo(f"wrote {target}", err=True)
    if result.dropped:
        click.echo(f"warning: {result.dropped} nodes left out (--max-nodes)", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(export)
    cli.add_command(export, name="embed")
