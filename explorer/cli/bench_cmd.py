"""`policy-explorer bench generate|run|fidelity`: the synthetic corpus, the store benchmark, parser fidelity."""

from __future__ import annotations

import json
from pathlib import Path

import click

from explorer.cli.common import handle_errors


def register(cli: click.Group) -> None:
    cli.add_command(bench)


@click.group()
def bench() -> None:
    """Synthetic policy corpus and store benchmark (not part of the test suite)."""


@bench.command()
@click.option("--policies", type=click.IntRange(min=1), default=100, show_default=True, help="Documents to write.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write them into (created).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same documents.")
@handle_errors
def generate(policies: int, out_dir: Path, seed: int) -> None:
    """Write N synthetic policy documents in the publisher's web text format."""
    from explorer.bench.corpus import generate_corpus

    corpus = generate_corpus(out_dir, policies, seed=seed)
    statements = sum(len(p.statements) for p in corpus.policies)
    click.echo(f"wrote {len(corpus.policies)} policies ({statements} statements) to {corpus.directory}")


@bench.command()
@click.option("--policies", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--store", "stores", multiple=True, metavar="URL",
              help="Store to measure (repeatable): memory:, oxigraph: (a temporary directory), oxigraph:PATH "
                   "(must not exist yet), sparql:URL (a scratch server: graphs are written to it). "
                   "Default: memory: and oxigraph:.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--runs", type=click.IntRange(min=1), default=10, show_default=True,
              help="Warm runs per query (after one cold run).")
@click.option("--validate", "validate_sample", type=click.IntRange(min=0), default=100, show_default=True,
              help="SHACL-validate this many policies (0 = all).")
@click.option("--no-anchors", is_flag=True, help="Skip the pyoxigraph and rdflib reference loads.")
@click.option("--rdflib-max", type=click.IntRange(min=0), default=100, show_default=True,
              help="Largest corpus for the (slow) rdflib Memory anchor.")
@click.option("--owlrl", "owlrl_policies", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed copies for the naive owlrl closure anchor (10 takes ~15 s; 0 = skip).")
@click.option("--per-policy", is_flag=True, help="Ingest Oxigraph stores policy by policy, not with the bulk path.")
@click.option("--fresh-runs", type=click.IntRange(min=0), default=3, show_default=True,
              help="Fresh `policy-explorer coverage` processes timed on the Oxigraph store (0 = skip).")
@click.option("--corpus", type=click.Choice(["generated", "bundled"]), default="generated", show_default=True,
              help="generated: N synthetic policies of the seed's layout; bundled: the bundled real policies "
                   "and replicas of them, each under an identifier of its own, N documents in all.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
@handle_errors
def run(policies: int, stores: tuple[str, ...], seed: int, runs: int, validate_sample: int, no_anchors: bool,
        rdflib_max: int, owlrl_policies: int, per_policy: bool, fresh_runs: int, corpus: str, as_json: bool,
        quiet: bool) -> None:
    """Generate N policies (or replicate the bundled real ones to N documents), ingest them into
    each store, and print timings, sizes and ratios, then issue 15's targets: each figure beside
    its target and anchor, met or missed."""
    from explorer.bench.run import BenchOptions, format_report, run_benchmark

    options = BenchOptions(
        policies=policies, stores=stores or ("memory:", "oxigraph:"), seed=seed, runs=runs,
        validate_sample=validate_sample or None, anchors=not no_anchors, rdflib_max_policies=rdflib_max,
        owlrl_policies=owlrl_policies, bulk=not per_policy, fresh_runs=fresh_runs, corpus=corpus,
    )
    report = run_benchmark(options, on_step=None if quiet else lambda s: click.echo(f"... {s}", err=True))
    click.echo(json.dumps(report.to_json(), indent=2) if as_json else format_report(report))


@bench.command()
@click.argument("gold_dir", required=False, type=click.Path(path_type=Path))
@click.option("--docs", "doc_dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder to look documents up in (repeatable; before tests/fixtures/real, tests/fixtures/policies, "
                   "data/policies).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--misses", type=click.IntRange(min=0), default=0, metavar="N",
              help="List the first N misses (gold facts not found, extracted facts not in gold).")
@handle_errors
def fidelity(gold_dir: Path | None, doc_dirs: tuple[Path, ...], fmt: str, misses: int) -> None:
    """Recall and precision of the parser against hand-made gold files (default tests/fixtures/gold).

    Per document, overall (micro-averaged) and per payer family. Exit 0 (a measurement); 2 when a
    gold file cannot be read.
    """
    from explorer.bench.fidelity_run import DEFAULT_GOLD_DIR, format_report, run_fidelity

    report = run_fidelity(gold_dir or DEFAULT_GOLD_DIR, doc_dirs)
    for error in report.gold_errors:
        click.echo(f"gold error: {error}", err=True)
    click.echo(json.dumps(report.to_json(), indent=2) if fmt == "json" else format_report(report, misses))
