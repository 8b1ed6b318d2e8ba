"""`nbaprops config show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, to_json
from nbaprops.config import redacted

app = typer.Typer(help="Inspect configuration.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@app.command("show")
def show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Print the effective config (file plus NBAPROPS_* overrides), secrets redacted."""
    context = app_context(ctx)
    data = redacted(context.settings)

    def render(console: Console) -> None:
        console.print(f"# {context.home.config_path}")
        console.print_json(to_json(data))

    emit(data, as_json=as_json, render=render)
