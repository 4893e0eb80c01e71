"""Entry point of the `policy-explorer` command; each command group lives in its own module."""

from __future__ import annotations

import importlib
import importlib.util
import logging

import click

from explorer import __version__

# Modules that each define a `register(group)` function adding their commands.
COMMAND_MODULES = (
    "explorer.cli.ingest_cmds",
    "explorer.cli.query_cmds",
    "explorer.cli.coverage_cmd",
    "explorer.cli.export_cmd",
    "explorer.cli.serve_cmds",
    "explorer.cli.endpoint_cmd",
    "explorer.cli.bench_cmd",
    "explorer.cli.changes_cmd",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy-explorer")
def cli() -> None:
    """Explore health-insurer medical policies as an RDF knowledge graph."""
    # rdflib logs a traceback when a literal's lexical form does not convert (e.g. when a query
    # stopped at its time limit is interrupted inside a converter); the CLI reports errors itself.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


for _name in COMMAND_MODULES:
    if importlib.util.find_spec(_name) is not None:
        importlib.import_module(_name).register(cli)


def main() -> None:
    cli(prog_name="policy-explorer")


if __name__ == "__main__":
    main()
