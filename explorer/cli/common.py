"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from explorer.errors import ExplorerError

F = TypeVar("F", bound=Callable[..., Any])

STORE_ENV = "POLICY_EXPLORER_STORE"

store_option = click.option(
    "--store",
    "store_url",
    envvar=STORE_ENV,
    default=None,
    metavar="URL",
    help=f"Store: oxigraph:PATH (or a bare PATH), oxigraph: or memory: (in memory: Oxigraph, rdflib), "
    f"sparql:URL. Env: {STORE_ENV}. "
    "Default: an Oxigraph store in the user data dir.",
)


def default_store_url() -> str:
    """The store used when neither --store nor POLICY_EXPLORER_STORE is given."""
    from platformdirs import user_data_path

    return "oxigraph:" + str(user_data_path("policy-explorer") / "store")


def store_url_or_default(url: str | None) -> str:
    return url or default_store_url()


def fail(message: str, code: int = 2) -> None:
    """Print one line to stderr and exit with `code` (2 = bad input)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn library errors into a one-line message and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:  # `... | head`: the reader has gone; nothing to report
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except ExplorerError as exc:
            fail(str(exc))
        except (OSError, UnicodeError) as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def open_cli_store(url: str | None) -> Any:
    """Open the store a command names (or the default one); a context manager. A store ingested
    before the span index existed gains it here (``explorer.index_upkeep``)."""
    from explorer.index_upkeep import index_on_open
    from explorer.store import open_store

    return index_on_open(
        open_store(store_url_or_default(url)),
        announce=lambda n: click.echo(
            f"note: indexing the source spans of {n} policies ingested by an earlier release (once)", err=True),
        refused=lambda exc: click.echo(f"warning: {exc}; catalog rows of policies ingested by an earlier release "
                                       "lack their quotes and offsets until they are ingested again", err=True))
