"""`endpoint`: serve the store read-only over the SPARQL 1.1 Protocol for analysts' own tools;
`embed`: every export format of issue 6 (RDF, schema.org block, GraphML, CSV, HTML graph)."""

from __future__ import annotations

import ipaddress
import logging

import click

from explorer.cli.common import handle_errors, open_cli_store, store_option
from explorer.query.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S

DEFAULT_PORT = 8000


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the store to the network.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Time limit per query, in seconds.")
@click.option("--max-rows", type=click.IntRange(min=1), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Row (or triple) limit per query; longer results are cut and flagged "
              "with the X-Result-Truncated header.")
@click.option("--isolation", type=click.Choice(["auto", "thread", "process"]), default="auto", show_default=True,
              help="How queries are stopped at the time limit: process (fork per query, can stop "
              "Oxigraph) or thread. auto: process, except thread for sparql: stores.")
@click.option("--max-concurrent", type=click.IntRange(min=1), default=4, show_default=True,
              help="Queries evaluated at the same time; more wait briefly, then get 503.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="An origin (e.g. https://yasgui.example) whose web pages may send queries and read "
              "the answers; repeatable; * allows every page (any site you visit could then query "
              "the store). Default: none, cross-origin query text is refused.")
@click.option("--verbose", "-v", is_flag=True, help="Log each request to stderr.")
@handle_errors
def endpoint(store_url: str | None, host: str, port: int, timeout: float, max_rows: int, isolation: str,
             max_concurrent: int, cors_origins: tuple[str, ...], verbose: bool) -> None:
    """Serve a read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql.

    SELECT/ASK answer as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle, N-Triples,
    JSON-LD or RDF/XML, chosen by the Accept header (or format=json|xml|csv|tsv|ttl|nt|jsonld).
    Updates, LOAD, SERVICE and FROM are refused. The query catalog is at /queries.
    """
    from explorer.endpoint import EndpointConfig, make_app, make_http_server, server_url
    from explorer.query.limits import QueryLimits

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    with open_cli_store(store_url) as store:
        mode = isolation
        if mode == "auto":
            mode = "thread" if str(store.url).startswith("sparql:") else "process"
        config = EndpointConfig(
            limits=QueryLimits(timeout_s=timeout, max_rows=max_rows, isolation=mode),  # type: ignore[arg-type]
            max_concurrent=max_concurrent,
            cors_origins=tuple(cors_origins),
        )
        server = make_http_server(make_app(store, config), host, port)
        if not _is_loopback(host):
            click.echo(f"warning: listening on {host}: anyone who can reach this address can query the store",
                       err=True)
        click.echo(f"SPARQL endpoint at {server_url(server)} (read-only; Ctrl-C to stop)", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
        finally:
            server.server_close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(cli: click.Group) -> None:
    cli.add_command(endpoint)
