"""`nbaprops run`, `nbaprops backfill` and `nbaprops status`: the orchestrated pipeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import AppContext, app_context
from nbaprops.cli.output import emit, progress, table
from nbaprops.cli.parsing import check_faults, parse_choice, parse_date, parse_date_range
from nbaprops.errors import ConfigError, OrchestrationError
from nbaprops.orchestration.breakers import breaker_report
from nbaprops.orchestration.distribute import by_season, run_on_workers
from nbaprops.orchestration.requests import Backfill, SourceKind
from nbaprops.orchestration.service import build_history, history_gap, run_backfill, run_day
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.status import build_status, latest_game_date
from nbaprops.sources.replay import ReplaySource
from nbaprops.suggestions import backfill_range
from nbaprops.warehouse import Warehouse

InjectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--inject",
        help="Fault to inject, repeatable: processor:NAME=fail, source:props=late:21h, "
        "kill:after_step=7, deliver:duplicate ...",
    ),
]
SourceOption = Annotated[
    SourceKind,
    typer.Option(
        "--source",
        help="replay: ingested history, and the live payloads kept in raw/; sim: the demo's league; "
        "live: the APIs of [sources.<name>].",
    ),
]
RerunOption = Annotated[
    bool,
    typer.Option(
        "--rerun",
        help="Run again what has finished, as a new recorded attempt whose rows supersede the "
        "earlier ones (without it, a finished run is reported, not repeated).",
    ),
]


def _notifier(console: Console):  # noqa: ANN202 - a callback
    return lambda message: console.print(f"[dim]{message}[/dim]", highlight=False, soft_wrap=True)


def run(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="Game date to run, YYYY-MM-DD.")],
    mode: Annotated[
        RunMode, typer.Option("--mode", help="overnight, same_day, tomorrow or backfill.")
    ] = (RunMode.SAME_DAY),
    source: SourceOption = SourceKind.REPLAY,
    inject: InjectOption = None,
    clock: Annotated[
        str | None,
        typer.Option("--clock", help="virtual or live (default: live for --source live only)."),
    ] = None,
    results: Annotated[
        bool,
        typer.Option(
            "--results",
            help="Only the results half of --date itself: box scores, summaries, grading.",
        ),
    ] = False,
    rerun: RerunOption = False,
    no_history: Annotated[
        bool,
        typer.Option(
            "--no-history",
            help="Refuse a date whose earlier days' Phase 3/4 history is missing, naming the "
            "backfill that builds it, instead of building it first.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run the daily pipeline of one date through the orchestrator: gates, retries, one run.
    First builds the Phase 3/4 history of the season's earlier days that is missing."""
    context = app_context(ctx)
    day, faults = parse_date(game_date, "--date"), check_faults(inject)
    virtual = None if clock is None else parse_choice(clock, ("virtual", "live"), "--clock") == "virtual"
    _ensure_history(context, day, source, build=not no_history, quiet=as_json)
    report = run_day(
        context.home,
        context.settings,
        game_date=day,
        mode=mode,
        source=source,
        faults=faults,
        virtual=virtual,
        results_only=results,
        rerun=rerun,
        notify=_notifier(Console(stderr=True)),
    )
    data = report.to_json()
    emit(data, as_json=as_json, render=lambda console: _render_day(console, data))
    if not report.ok or data["status"] != "complete":
        raise typer.Exit(1)


def _ensure_history(
    context: AppContext, day: date, source: SourceKind, *, build: bool, quiet: bool
) -> None:
    """Build the history `day` lacks, with a progress bar; with build=False refuse instead."""
    gap = history_gap(context.home, context.settings, game_date=day, source=source)
    if gap.start is None:
        return
    command = backfill_range(gap.start, gap.end, source=source)
    if not build:
        raise OrchestrationError(
            f"{day} lacks the history its features are built from: {gap.describe()}. Build it "
            f"with {command}, or run without --no-history to build it first."
        )
    with progress(
        f"history {gap.start} .. {gap.end}", len(gap.to_build), enabled=not quiet
    ) as advance:
        build_history(
            context.home,
            context.settings,
            gap=gap,
            source=source,
            on_day=lambda _day, _status: advance(1),
            notify=_notifier(Console(stderr=True)),
        )


def backfill(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--start", help="First game date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--end", help="Last game date, YYYY-MM-DD.")],
    source: SourceOption = SourceKind.REPLAY,
    mode: Annotated[
        RunMode, typer.Option("--mode", help="Run mode of every day.")
    ] = RunMode.BACKFILL,
    inject: InjectOption = None,
    rerun: RerunOption = False,
    on_workers: Annotated[bool, typer.Option(
        "--on-workers", help="Hand the backfill to the home's worker processes (`worker`; a workflow per "
        "season on the queue) and wait for them, instead of running it in this process.")] = False,
    pipelined: Annotated[bool, typer.Option(
        "--pipelined", help="With --on-workers: each season's history (Phases 2-4) goes on the queue as a "
        "workflow of its own, so one worker builds it ahead while another predicts and grades.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Run every game day from --start to --end through the orchestrator on virtual time."""
    context = app_context(ctx)
    first, last = parse_date_range(start, end)
    faults = check_faults(inject)
    if pipelined and not on_workers:
        raise ConfigError("--pipelined splits a backfill between workers; add --on-workers.")
    if on_workers:
        if rerun:
            raise ConfigError("--rerun runs in this process; drop --on-workers to re-run a range.")
        request = Backfill(first, last, source, mode=mode, faults=tuple(faults))
        _backfill_on_workers(context, request, pipelined=pipelined, as_json=as_json)
        return
    days = (
        _count_days(context.home, context.settings, first, last)
        if not as_json
        else None
    )
    with progress(f"backfill {first} .. {last}", days, enabled=not as_json) as advance:
        summary = run_backfill(
            context.home,
            context.settings,
            start=first,
            end=last,
            source=source,
            mode=mode,
            faults=faults,
            rerun=rerun,
            on_day=lambda _day, _status: advance(1),
            notify=_notifier(Console(stderr=True)),
        )
    data = summary.to_json()
    emit(data, as_json=as_json, render=lambda console: render_season(console, data))
    if not summary.outcome.ok:
        raise typer.Exit(1)


def _backfill_on_workers(context: AppContext, request: Backfill, *, pipelined: bool, as_json: bool) -> None:
    """`request` a season at a time on the home's queue, for its workers; exits 1 unless every part
    ended well."""
    done = run_on_workers(context.home, context.settings, by_season(request), pipelined=pipelined,
                          notify=_notifier(Console(stderr=True)) if not as_json else lambda message: None)
    data: dict[str, Any] = {
        "start": request.start.isoformat(), "end": request.end.isoformat(), "pipelined": pipelined, "ok": done.ok,
        "waves": done.waves,
        "workflows": [
            {"workflow_id": workflow_id, "status": outcome.status, "error": outcome.error,
             **{key: (outcome.result or {}).get(key) for key in ("game_days", "complete", "degraded", "failed")}}
            for workflow_id, outcome in done.outcomes.items()
        ],
    }

    def render(console: Console) -> None:
        console.print(table(
            f"backfill {request.start} .. {request.end} on the home's workers",
            ["workflow", "status", "game days", "complete", "degraded", "failed", "error"],
            [[w["workflow_id"], w["status"], w["game_days"], w["complete"], w["degraded"], w["failed"],
              w["error"] or ""] for w in data["workflows"]]))

    emit(data, as_json=as_json, render=render)
    if not done.ok:
        raise typer.Exit(1)


def status(
    ctx: typer.Context,
    game_date: Annotated[
        str | None, typer.Option("--date", help="Game date (default: the latest run).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Per processor: state, attempts, records/expected; per gate: the latest decision and why."""
    context = app_context(ctx)
    with context.warehouse(read_only=True) as warehouse:
        chosen = parse_date(game_date, "--date") if game_date else latest_game_date(warehouse)
        if chosen is None:
            raise ConfigError("Nothing has run yet; start with `nbaprops run --date YYYY-MM-DD`.")
        data = build_status(warehouse, game_date=chosen)
    data["breakers"] = breaker_report(context.home, context.settings)
    data["dashboard_url"] = context.settings.dashboard.page_url("pipeline", chosen)
    emit(data, as_json=as_json, render=lambda console: _render_status(console, data))


def _count_days(home: Any, settings: Any, first: date, last: date) -> int | None:
    if not home.warehouse_exists:
        return None
    with Warehouse.open(home.warehouse_target, read_only=True, wait_seconds=60) as warehouse:
        return len(ReplaySource(warehouse, settings.replay).game_dates(first, last)) + 1


def _render_already_done(console: Console, data: dict[str, Any]) -> None:
    """A finished attempt is reported, not repeated: say so, and how to run it again."""
    console.print(
        f"[bold]{data['workflow_id']}[/bold] (attempt {data['attempt']}) had already finished: "
        f"{data.get('status') or data['workflow_status']}. Nothing ran now; this is its record. "
        f"Run it again as attempt {data['attempt'] + 1} with {data['rerun_command']}.",
        highlight=False,
    )


def _render_day(console: Console, data: dict[str, Any]) -> None:
    waited = data["waited_seconds"] or 0
    if data["already_done"]:
        _render_already_done(console, data)
    else:
        console.print(
            f"[bold]{data['workflow_id']}[/bold]: {data['status'] or data['workflow_status']} in "
            f"{data['elapsed_seconds']:.1f} s (waited {waited / 60:.0f} min on the run's clock, "
            f"{data['retries'] or 0} retries)"
        )
    if data["error"]:
        console.print(f"[red]{data['error']}[/red]", highlight=False)
    if data["regraded_by"]:
        console.print(f"The day had grades; graded it again: {data['regraded_by']}.")
    if not data["processors"]:
        _render_status(console, data["report"])
        return
    rows = [
        (
            p["processor"],
            p["target_date"],
            p["state"],
            p["attempt"],
            "" if p["expected"] is None else f"{p['records']}/{p['expected']}",
        )
        for p in data["processors"].values()
    ]
    columns = ["processor", "for date", "state", "attempts", "records/expected"]
    console.print(table("Processors of this run", columns, rows))
    for name, note in data["notes"].items():
        console.print(f"[yellow]{name}: {note}[/yellow]", highlight=False)
    gates = [
        (name, g["decision"], "yes" if g["alert"] else "", g["reason"])
        for name, g in data["gates"].items()
    ]
    console.print(table("Gates", ["gate", "decision", "alert", "reason"], gates))


def _render_status(console: Console, data: dict[str, Any]) -> None:
    predictions = data["predictions"]
    console.print(
        f"{data['game_date']}: latest run {data['latest_workflow_id'] or '-'}; "
        f"{predictions['active']} active predictions ({predictions['superseded']} superseded), "
        f"{data['graded']} graded.",
        highlight=False,
    )
    rows = [
        (
            p["phase"],
            p["processor"],
            p["state"],
            p["attempts"],
            "" if p["expected"] is None else f"{p['records']}/{p['expected']}",
        )
        for p in data["processors"]
    ]
    console.print(
        table(
            f"Processors for {data['game_date']}",
            ["phase", "processor", "state", "attempts", "records/expected"],
            rows,
        )
    )
    short = [(p["processor"], p["state"], p["error"]) for p in data["processors"] if p["error"]]
    if short:
        console.print(table("Why they fell short or failed", ["processor", "state", "why"], short))
    console.print(
        table(
            "Gates",
            ["gate", "decision", "alert", "reason"],
            [
                (g["gate"], g["decision"], "yes" if g["alert"] else "", g["reason"])
                for g in data["gates"]
            ],
        )
    )
    breakers = data.get("breakers")
    if breakers:
        console.print(table(
            "Circuit breakers (live sources)", ["source", "state", "failures in a row", "opened at"],
            [(b["source"], b["state"], b["failure_count"], b["opened_at"] or "-") for b in breakers],
        ))
    notable = [e for e in data["events"] if e["kind"] != "data_event" or e["alert"]]
    if notable:
        console.print(
            table(
                "Retries, give-ups and timeouts",
                ["kind", "processor", "reason"],
                [(e["kind"], e["processor"], e["reason"]) for e in notable],
            )
        )
    _render_incidents(console, data.get("incidents", []))
    if data.get("dashboard_url"):
        console.print(f"Dashboard: {data['dashboard_url']}", highlight=False, soft_wrap=True)


def _render_incidents(console: Console, incidents: list[dict[str, Any]]) -> None:
    """The day's incidents with their diagnosis: root cause and fix."""
    if incidents:
        console.print(table(
            "Incidents (diagnosis)",
            ["component", "error", "status", "failures", "root cause", "fix"],
            [(i["component"], i["error_class"], i["status"] if i["resolved_by"] is None
              else f"{i['status']} ({i['resolved_by']})", i["failures"], i["root_cause"], i["suggested_fix"])
             for i in incidents],
        ))


def render_season(console: Console, data: dict[str, Any]) -> None:
    """The season summary of a backfill: days, predictions, picks, hit rate per system, gates."""
    season = data["season"]
    if data["already_done"]:
        _render_already_done(console, data)
    console.print(
        f"[bold]{data['workflow_id']}[/bold]: {data['game_days']} game days ({data['complete']} "
        f"complete, {data['degraded']} degraded, {data['failed']} failed; the last day's results "
        f"{data['last_results']}) in {data['elapsed_seconds']:.1f} s"
    )
    if data["error"]:
        console.print(f"[red]{data['error']}[/red]", highlight=False)
    console.print(
        f"{season['predictions']} active predictions over {season['prediction_days']} days; "
        f"{season['graded']} graded, {season['picks']} picks."
    )
    console.print(
        table(
            "Hit rate per system",
            ["system", "graded", "picks", "hits", "hit rate"],
            [
                (
                    s["system_id"],
                    s["graded"],
                    s["picks"],
                    s["hits"],
                    "-" if s["hit_rate"] is None else f"{s['hit_rate']:.1%}",
                )
                for s in season["systems"]
            ],
        )
    )
    console.print(
        table(
            "Gate decisions",
            ["gate", "decisions"],
            [
                (gate, ", ".join(f"{decision} {n}" for decision, n in decisions.items()))
                for gate, decisions in season["gate_decisions"].items()
            ],
        )
    )
    console.print(
        f"Retries: {season['retries']}, give-ups: {season['give_ups']}, timeouts: "
        f"{season['timeouts']}, "
        f"alerts: {season['alerts']}."
    )
