"""`nbaprops db migrate`."""

from __future__ import annotations

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit
from nbaprops.warehouse import Warehouse

app = typer.Typer(help="Warehouse maintenance.", no_args_is_help=True)


@app.command("migrate")
def migrate(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Apply pending warehouse migrations (they also run automatically on first use)."""
    context = app_context(ctx)
    context.home.ensure()
    with Warehouse.open(context.home.warehouse_target, migrate=False, wait_seconds=60) as warehouse:
        applied = warehouse.migrate()
        all_applied = warehouse.applied_migrations()
    data = {"warehouse": str(warehouse.path), "applied_now": applied, "applied": all_applied}

    def render(console: Console) -> None:
        console.print(f"warehouse {data['warehouse']}: {len(applied)} migration(s) applied now, "
                      f"{len(all_applied)} in all")

    emit(data, as_json=as_json, render=render)
