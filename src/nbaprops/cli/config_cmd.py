"""`nbaprops config show | history | diff A B | rollback HASH`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table, to_json
from nbaprops.config import load_settings, redacted
from nbaprops.errors import ConfigError
from nbaprops.ops.config_history import (
    config_history,
    diff_configs,
    plan_rollback,
    read_config_file,
    snapshot,
    stored_config,
    write_rollback,
)

app = typer.Typer(help="Inspect configuration, its history, and roll it back.", no_args_is_help=True)

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


@app.command("history")
def history(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every config the home's runs ran under: hash, first and last used (wall clock, UTC), runs."""
    context = app_context(ctx)
    current = snapshot(context.settings).hash
    with context.warehouse(read_only=True) as warehouse:
        uses = config_history(warehouse)
    data = {"current_hash": current,
            "configs": [{**use.to_json(), "current": use.hash == current} for use in uses]}

    def render(console: Console) -> None:
        rows = [(use.hash[:12], f"{use.first_seen_at:%Y-%m-%d %H:%M}", f"{use.last_seen_at:%Y-%m-%d %H:%M}",
                 use.runs, "yes" if use.hash == current else "") for use in uses]
        console.print(table("Config history", ("hash", "first used", "last used", "runs", "current"), rows))
        if current not in {use.hash for use in uses}:
            console.print(f"The current config ({current[:12]}) has not run yet.")

    emit(data, as_json=as_json, render=render)


@app.command("diff")
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="A stored config's hash (or a unique prefix of it).")],
    new: Annotated[str, typer.Argument(help="Another stored config's hash (or a unique prefix of it).")],
    as_json: JsonOption = False,
) -> None:
    """The keys whose values differ between two stored configs, old -> new."""
    context = app_context(ctx)
    with context.warehouse(read_only=True) as warehouse:
        before, after = stored_config(warehouse, old, argument="A"), stored_config(warehouse, new, argument="B")
    changes = diff_configs(before.data, after.data)
    data = {"old": before.hash, "new": after.hash, "changes": [change.to_json() for change in changes]}

    def render(console: Console) -> None:
        console.print(f"{before.short_hash} -> {after.short_hash}: {len(changes)} key(s) changed")
        rows = [(change.key, to_json(change.old), to_json(change.new)) for change in changes]
        if rows:
            console.print(table("", ("key", "old", "new"), rows))

    emit(data, as_json=as_json, render=render)


@app.command("rollback")
def rollback(
    ctx: typer.Context,
    config_hash: Annotated[str, typer.Argument(metavar="HASH", help="The stored config to go back to.")],
    as_json: JsonOption = False,
) -> None:
    """Write a stored config back to nbaprops.toml in the home, keeping the current file as a
    timestamped backup; redacted secrets keep the current file's values."""
    context = app_context(ctx)
    with context.warehouse(read_only=True) as warehouse:
        target = stored_config(warehouse, config_hash)
    path = context.home.config_path
    plan = plan_rollback(target, read_config_file(path))
    backup = write_rollback(path, plan)
    try:
        after: str | None = snapshot(load_settings(path)).hash
        problem = None
    except ConfigError as e:
        after, problem = None, str(e)
    data = {"hash": target.hash, "config_path": str(path), "backup_path": None if backup is None else str(backup),
            "kept_secrets": plan.kept_secrets, "missing_secrets": plan.missing_secrets,
            "unwritable_keys": plan.unwritable, "hash_after": after, "matches": after == target.hash,
            "problem": problem}

    def render(console: Console) -> None:
        console.print(f"Wrote config {target.short_hash} to {path}" + (f" (backup: {backup})" if backup else "") + ".")
        if plan.kept_secrets:
            console.print("Kept the current file's secret values for: " + ", ".join(plan.kept_secrets) + ".")
        if plan.missing_secrets:
            console.print("Secrets the current file does not hold, left out (set them in the file or their "
                          "NBAPROPS_ variables): " + ", ".join(plan.missing_secrets) + ".")
        if plan.unwritable:
            console.print("Null in the stored config, which TOML cannot say (they take their defaults): "
                          + ", ".join(plan.unwritable) + ".")
        if problem is not None:
            console.print(f"The written file does not load: {problem}")
        elif after != target.hash:
            console.print(f"The effective config is now {str(after)[:12]}, not {target.short_hash}: "
                          "environment overrides or secrets differ from the stored config's.")
        else:
            console.print(f"The effective config is now {target.short_hash}.")

    emit(data, as_json=as_json, render=render)
    if problem is not None:
        raise typer.Exit(1)
