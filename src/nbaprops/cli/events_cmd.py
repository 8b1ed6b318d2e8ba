"""`nbaprops events watch|list`: new data for a date already run, applied as events."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.orchestration_cmd import SourceOption
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date, parse_instant
from nbaprops.orchestration.poll_store import polls_of_date
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.watch import watch_date
from nbaprops.suggestions import run_day

app = typer.Typer(
    help="Apply new lines, injury updates and schedule changes to dates already run; the worker's polls.",
    no_args_is_help=True,
)


@app.command("watch")
def watch(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="Game date to watch, YYYY-MM-DD.")],
    source: SourceOption = SourceKind.REPLAY,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Compare with what the source served at this time (UTC unless zoned; default: now)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare the source with the date's last run once; apply each change as an event."""
    context = app_context(ctx)
    day = parse_date(game_date, "--date")
    when = datetime.now(UTC) if as_of is None else parse_instant(as_of, "--as-of")
    console = Console(stderr=True)
    report = watch_date(
        context.home,
        context.settings,
        game_date=day,
        source_kind=source,
        as_of=when,
        notify=lambda message: console.print(f"[dim]{message}[/dim]", highlight=False, soft_wrap=True),
    )
    data = {"source": source.value, **report.to_json()}
    emit(data, as_json=as_json, render=lambda console: _render_watch(console, data))
    if not all(applied.outcome.ok for applied in report.applied):
        raise typer.Exit(1)


@app.command("list")
def list_events(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="Game date, YYYY-MM-DD.")],
    as_json: JsonOption = False,
) -> None:
    """The data events decided for a date (applied or skipped as stale), oldest first."""
    context = app_context(ctx)
    day = parse_date(game_date, "--date")
    with context.warehouse(read_only=True) as warehouse:
        rows = warehouse.query(
            "SELECT workflow_id, decision, reason, inputs, decided_at "
            "FROM nba_orchestration.orchestration_events WHERE kind = 'data_event' AND game_date = ? "
            "ORDER BY decided_at, workflow_id",
            [day],
        )
    data = {"game_date": day.isoformat(), "events": [_decision(row) for row in rows]}
    emit(data, as_json=as_json, render=lambda console: _render_list(console, data))


@app.command("polls")
def list_polls(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="Game date, YYYY-MM-DD.")],
    as_json: JsonOption = False,
) -> None:
    """The worker's scraper-window polls ([sources.windows]) for a date: when, what came back, the
    event each started; oldest first."""
    context = app_context(ctx)
    day = parse_date(game_date, "--date")
    with context.warehouse(read_only=True) as warehouse:
        polls = polls_of_date(warehouse, day)
    data = {"game_date": day.isoformat(), "polls": [poll.to_json() for poll in polls]}
    emit(data, as_json=as_json, render=lambda console: _render_polls(console, data))


def _render_polls(console: Console, data: dict[str, Any]) -> None:
    console.print(
        table(
            f"Window polls for {data['game_date']} ({len(data['polls'])})",
            ["polled", "slot", "kind", "source", "rows", "event", "reason"],
            [
                (p["polled_at"], p["slot_at"], p["kind"], p["source"], str(p["rows_seen"]), p["event"] or "",
                 p["reason"])
                for p in data["polls"]
            ],
        )
    )


def _decision(row: dict[str, Any]) -> dict[str, Any]:
    inputs = json.loads(row["inputs"])
    return {
        "workflow_id": row["workflow_id"],
        "event_kind": inputs.get("event_kind"),
        "observed_at": inputs.get("observed_at"),
        "players": inputs.get("players", []),
        "decision": row["decision"],
        "reason": row["reason"],
        "decided_at": row["decided_at"].isoformat(),
    }


def _render_watch(console: Console, data: dict[str, Any]) -> None:
    if data["day_run"] is None:
        console.print(
            f"No {data['source']} day run of {data['game_date']} has built its upcoming context yet; "
            f"nothing to compare (run {run_day(date.fromisoformat(data['game_date']), source=data['source'])} "
            "first)."
        )
        return
    if not data["events"]:
        console.print(f"Nothing new for {data['game_date']} as of {data['as_of']} since {data['day_run']}.")
        return
    console.print(
        table(
            f"Events for {data['game_date']} as of {data['as_of']} ({len(data['events'])})",
            ["kind", "players", "workflow", "status", "reason"],
            [
                (
                    e["kind"],
                    ", ".join(e["players"]),
                    e["workflow_id"],
                    e["error"] or e["status"] or e["workflow_status"],
                    e["reason"],
                )
                for e in data["events"]
            ],
        )
    )


def _render_list(console: Console, data: dict[str, Any]) -> None:
    console.print(
        table(
            f"Data events for {data['game_date']} ({len(data['events'])})",
            ["observed", "kind", "decision", "workflow", "reason"],
            [(e["observed_at"], e["event_kind"], e["decision"], e["workflow_id"], e["reason"]) for e in data["events"]],
        )
    )
