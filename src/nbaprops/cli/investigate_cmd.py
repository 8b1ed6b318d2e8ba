"""`nbaprops investigate grading`: a regression, variance, stale data or missing grades?"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, assert_never

import typer
from rich.console import Console
from rich.markup import escape

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date
from nbaprops.ops import (
    FreshnessStatus,
    GradingInvestigation,
    GradingVerdict,
    diagnose_grading,
    load_grading_facts,
)
from nbaprops.ops.investigate import RateRow

EXIT_WARNING = 1
EXIT_REGRESSION = 2

app = typer.Typer(help="Find out why something looks wrong.", no_args_is_help=True)

BREAKDOWN_HEADINGS = {
    # breakdown: (table title, first column)
    "recommendation": ("By side", "side"),
    "market": ("By market", "market"),
    "bookmaker": ("By bookmaker", "bookmaker"),
    "line_source": ("By line source", "line source"),
}
_RATE_COLUMNS = ["W-L", "hit rate (95% CI)", "history", "p-value", "status", "MAE", "MAE before"]
_VERDICT_STYLE = {0: "bold green", EXIT_WARNING: "bold yellow", EXIT_REGRESSION: "bold red"}
_FRESHNESS_STYLE = {
    FreshnessStatus.FRESH: "green", FreshnessStatus.OLD: "yellow", FreshnessStatus.STALE: "red",
    FreshnessStatus.UNKNOWN: "yellow",
}


@app.command("grading")
def grading(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="Game date to investigate, YYYY-MM-DD.")],
    history_days: Annotated[
        int, typer.Option("--history-days", min=1, help="Days before --date to compare against.")
    ] = 14,
    as_json: JsonOption = False,
) -> None:
    """Accuracy by system against the days before, data freshness and grading coverage, ending
    in one verdict. Exits 0 normal, 1 a warning (variance, degraded, no data), 2 a regression,
    stale data or missing grades."""
    day = parse_date(game_date, "--date")
    context = app_context(ctx)
    with context.warehouse(read_only=True) as warehouse:
        facts = load_grading_facts(warehouse, day, history_days=history_days)
    investigation = diagnose_grading(facts)
    emit(investigation.to_json(), as_json=as_json,
         render=lambda console: _render(investigation, console))
    code = exit_code(investigation.verdict)
    if code:
        raise typer.Exit(code)


def exit_code(verdict: GradingVerdict) -> int:
    """0 NORMAL; 1 for a warning; 2 when something is broken and needs action."""
    match verdict:
        case GradingVerdict.NORMAL:
            return 0
        case GradingVerdict.VARIANCE | GradingVerdict.DEGRADED | GradingVerdict.NO_DATA:
            return EXIT_WARNING
        case (
            GradingVerdict.REGRADE
            | GradingVerdict.SCHEDULING
            | GradingVerdict.MODEL_DRIFT
            | GradingVerdict.SYSTEM_REGRESSION
        ):
            return EXIT_REGRESSION
        case _:
            assert_never(verdict)


def _render(investigation: GradingInvestigation, console: Console) -> None:
    inv = investigation
    console.print(
        f"[bold]Grading investigation for {inv.game_date}[/bold] "
        f"(history {inv.history_start} .. {inv.history_end})"
    )
    rows = [_rate_cells(escape(row.key or "-"), row) for row in inv.systems]
    rows.append(_rate_cells("all systems", inv.overall))
    console.print(table("(a) Accuracy by system", ["system", *_RATE_COLUMNS], rows))
    _render_freshness(inv, console)
    _render_coverage(inv, console)
    for name, breakdown in inv.breakdowns.items():
        if breakdown:
            title, column = BREAKDOWN_HEADINGS[name]
            cells = [_rate_cells(escape(row.key or "(none)"), row) for row in breakdown]
            console.print(table(title, [column, *_RATE_COLUMNS], cells))
    style = _VERDICT_STYLE[exit_code(inv.verdict)]
    named = f" ({', '.join(inv.named_systems)})" if inv.named_systems else ""
    console.print(f"[{style}]Verdict: {inv.verdict.value}{escape(named)}[/{style}]. "
                  f"{escape(inv.reason)}")
    console.print(f"Action: {escape(inv.action)}")


def _render_freshness(inv: GradingInvestigation, console: Console) -> None:
    fresh = inv.freshness
    style = _FRESHNESS_STYLE[fresh.status]
    console.print("[bold](b) Data freshness[/bold]")
    if fresh.first_prediction_at is None:
        detail = "no active predictions, so nothing to compare."
    elif fresh.phase3_finished_at is None:
        detail = (f"first prediction {_when(fresh.first_prediction_at)}; no Phase 3 run for "
                  f"{inv.game_date} had finished by then.")
    else:
        detail = (f"first prediction {_when(fresh.first_prediction_at)}; last Phase 3 run before "
                  f"it ({escape(fresh.phase3_processor or '?')}) finished "
                  f"{_when(fresh.phase3_finished_at)}, {fresh.gap_hours:.1f} h earlier.")
    console.print(f"  [{style}]{fresh.status.value}[/{style}]: {detail}")


def _render_coverage(inv: GradingInvestigation, console: Console) -> None:
    coverage = inv.coverage
    rows = [(escape(s.system_id), s.predicted, s.graded, s.missing) for s in coverage.systems]
    rows.append(("all systems", coverage.predicted, coverage.graded, coverage.missing))
    console.print(table("(c) Predictions created vs graded",
                        ["system", "predicted", "graded", "missing"], rows))
    if inv.latest_runs:
        runs = [
            (escape(run.processor), run.phase, run.status, run.attempt,
             _when(run.finished_at) if run.finished_at else "-",
             escape(f"{run.error_class}: {run.error_message}") if run.error_class else "")
            for run in inv.latest_runs
        ]
        console.print(table(f"Latest runs for {inv.game_date}",
                            ["processor", "phase", "status", "attempt", "finished", "error"], runs))
    else:
        console.print(f"  No Phase 3, Phase 5 or grading runs recorded for {inv.game_date}.")


def _rate_cells(label: str, row: RateRow) -> Sequence[str]:
    check = row.check
    low, high = check.day_interval
    return (
        label,
        f"{row.day.wins}-{row.day.losses}",
        f"{check.day_rate:.1%} ({low:.0%}-{high:.0%})" if check.day_rate is not None else "-",
        f"{check.history_rate:.1%} of {row.history.decided}"
        if check.history_rate is not None else "-",
        f"{check.p_value:.2g}" if check.p_value is not None else "-",
        check.status.value if check.day_rate is not None else "-",
        f"{row.day.mae:.2f}" if row.day.mae is not None else "-",
        f"{row.history.mae:.2f}" if row.history.mae is not None else "-",
    )


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
