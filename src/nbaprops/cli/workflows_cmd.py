"""`nbaprops workflows list|resume|cancel`: the durable workflows of a home."""

from __future__ import annotations

from typing import Annotated

import typer

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_choice
from nbaprops.orchestration.engine import EngineClient
from nbaprops.orchestration.interventions import record_workflow_intervention

# DBOS's workflow states (dbos._sys_db.WorkflowStatusString, a private module).
WORKFLOW_STATUSES = (
    "PENDING", "ENQUEUED", "DELAYED", "SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED",
)

app = typer.Typer(help="List, resume and cancel durable workflows.", no_args_is_help=True)


@app.command("list")
def list_workflows(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="PENDING, ENQUEUED, SUCCESS, ERROR, CANCELLED.")
    ] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="Only IDs starting so, e.g. daily:2025-01.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="At most this many, newest first.")
    ] = 50,
    as_json: JsonOption = False,
) -> None:
    """The newest workflows first, with their status, executor and the application version they
    started under."""
    chosen = parse_choice(status, WORKFLOW_STATUSES, "--status") if status else None
    context = app_context(ctx)
    with EngineClient(context.home, context.settings) as client:
        rows = client.workflows(status=chosen, prefix=prefix, limit=limit)
    data = [row.to_json() for row in rows]
    emit(
        data,
        as_json=as_json,
        render=lambda console: console.print(
            table(
                f"Workflows ({len(rows)})",
                ["workflow", "status", "updated", "executor", "version", "error"],
                [
                    (
                        r.workflow_id,
                        r.status,
                        None if r.updated_at is None else f"{r.updated_at:%Y-%m-%d %H:%M:%S}",
                        r.executor_id,
                        r.application_version,
                        (r.error or "")[:80],
                    )
                    for r in rows
                ],
            )
        ),
    )


@app.command("resume")
def resume(
    ctx: typer.Context,
    workflow_id: Annotated[str, typer.Argument(help="The workflow ID.")],
    as_json: JsonOption = False,
) -> None:
    """Continue an unfinished (cancelled, stuck or queued) workflow from its last recorded step."""
    context = app_context(ctx)
    # Recorded first: once resumed, the executor may hold the warehouse for a long while.
    record_workflow_intervention(context.home, command="resume", workflow_id=workflow_id)
    with EngineClient(context.home, context.settings) as client:
        client.resume(workflow_id)
    data = {"workflow_id": workflow_id, "resumed": True}
    emit(
        data,
        as_json=as_json,
        render=lambda console: console.print(
            f"Resumed {workflow_id}: the worker runs it now, or the next `nbaprops "
            "run`/`backfill`/`worker` on this home."
        ),
    )


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    workflow_id: Annotated[str, typer.Argument(help="The workflow ID.")],
    as_json: JsonOption = False,
) -> None:
    """Stop a workflow at its next step (it can be resumed later)."""
    context = app_context(ctx)
    # Recorded first: once resumed, the executor may hold the warehouse for a long while.
    record_workflow_intervention(context.home, command="cancel", workflow_id=workflow_id)
    with EngineClient(context.home, context.settings) as client:
        client.cancel(workflow_id)
    data = {"workflow_id": workflow_id, "cancelled": True}
    emit(data, as_json=as_json, render=lambda console: console.print(f"Cancelled {workflow_id}."))
