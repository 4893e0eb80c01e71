"""Plain tables for the terminal (rich when stdout is a terminal, tab-separated otherwise)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows under headers: a boxed table on a terminal, tab-separated text in a pipe."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*headers)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        return
    click.echo("\t".join(headers))
    for row in rows:
        click.echo("\t".join("" if v is None else str(v).replace("\t", " ") for v in row))
