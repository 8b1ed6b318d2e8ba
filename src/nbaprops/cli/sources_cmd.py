"""`nbaprops sources check`: probe every live source once."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.clock import SystemClock
from nbaprops.orchestration.breakers import breaker_states
from nbaprops.sources.probe import check_sources
from nbaprops.sources.raw_store import RawStore

EXIT_PRIMARY_DOWN = 1

app = typer.Typer(help="Live sources: probe them.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@app.command("check")
def check(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Probe each configured source: status, latency, breaker, quota left. Exit 1 when a primary is down."""
    context = app_context(ctx)
    home = context.home.ensure()
    report = check_sources(context.settings.sources, clock=SystemClock(), raw_store=RawStore(home.raw_dir),
                           breakers=breaker_states(home, context.settings))

    def render(console: Console) -> None:
        rows = [
            (s.name + (" (primary)" if s.primary else ""), s.status, s.latency_ms, s.breaker or "-",
             "-" if s.quota_left is None else s.quota_left, s.message or "")
            for s in report.sources
        ]
        console.print(table("Live sources", ["source", "status", "latency ms", "breaker", "quota left", "why"], rows))

    emit(report.to_json(), as_json=as_json, render=render)
    if report.primary_down:
        raise typer.Exit(EXIT_PRIMARY_DOWN)
