"""`nbaprops workers [--json]`: the home's executors, their heartbeats, queues and work."""

from __future__ import annotations

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.errors import OrchestrationError
from nbaprops.ops.workers import WorkersView, workers_warnings
from nbaprops.orchestration.workers import read_workers


def workers(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every executor (worker or command) of the home: its state, application version, heartbeat
    age and the workflows it holds; the depth of each queue; any warning the health check gives."""
    context = app_context(ctx)
    view = read_workers(context.home, context.settings)
    if view is None:
        raise OrchestrationError(
            f"No workflows have run on {context.home.root} yet; start one with `nbaprops worker`."
        )
    emit(view.to_json(), as_json=as_json, render=lambda console: _render(view, console))


def _render(view: WorkersView, console: Console) -> None:
    console.print(
        table(
            f"Executors ({len(view.executors)}), this version {view.current_version}",
            ["executor", "role", "state", "version", "heartbeat age", "host/pid", "pending"],
            [
                (
                    e.executor_id,
                    e.role,
                    e.state if e.recovered_by is None else f"{e.state} by {e.recovered_by}",
                    e.application_version,
                    f"{e.heartbeat_age_seconds:.0f} s",
                    f"{e.host}/{e.pid}",
                    ", ".join(e.pending) or "-",
                )
                for e in view.executors
            ],
        )
    )
    depth = ", ".join(f"{queue} {n}" for queue, n in view.queue_depth.items()) or "all empty"
    console.print(f"Queues: {depth}.")
    for warning in workers_warnings(view):
        console.print(f"[yellow]Warning:[/yellow] {warning}", highlight=False)
