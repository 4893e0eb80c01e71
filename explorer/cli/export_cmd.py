"""`export`: a policy or the whole corpus as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.cli.common import handle_errors, open_cli_store, store_option


@click.command()
@click.argument("policy", required=False)
@store_option
@click.option("--format", "fmt", default="ttl", show_default=True,
              type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]), help="RDF serialization.")
@click.option("--inferred", is_flag=True, help="Include the triples OWL RL reasoning inferred.")
@click.option("--vocabulary", is_flag=True, help="Include the ontology and vocabularies.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file (default: stdout).")
@handle_errors
def export(policy: str | None, store_url: str | None, fmt: str, inferred: bool, vocabulary: bool,
           output: Path | None) -> None:
    """Export POLICY (number or IRI) or, without it, every policy in the store."""
    from explorer.corpus import export_graphs
    from explorer.render.rdf_export import serialize_graphs

    with open_cli_store(store_url) as store:
        graphs = export_graphs(store, policy, inferred=inferred, vocabulary=vocabulary)
        text = serialize_graphs(graphs, fmt)
    if output:
        from explorer.io_safety import atomic_write_text

        atomic_write_text(output, text)
        click.echo(f"wrote {output} ({sum(len(g) for _, g in graphs)} triples)", err=True)
    else:
        click.echo(text, nl=False)


def register(cli: click.Group) -> None:
    cli.add_command(export)
