"""`nbaprops demo`: generate a synthetic league, load it like real history, build its earlier
history, and run its season through the orchestrator on virtual time."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.backtest.runner import build_history, history_built
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.orchestration_cmd import InjectOption, render_season
from nbaprops.cli.output import emit, progress, table
from nbaprops.cli.parsing import check_faults
from nbaprops.config import Settings
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import run_backfill
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import PREPARE_STEPS, SyntheticHistory, prepare_synthetic_history
from nbaprops.warehouse import Warehouse

DEFAULT_DAYS = 30
# About six games a team: one more than the five a prediction needs (predictions.min_history_games),
# so a missed game leaves few players short on the first day. Each day costs time in `make demo`.
DEFAULT_HISTORY_DAYS = 12


def demo(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option("--days", min=1, help="Demo days: predicted and graded through the orchestrator.")
    ] = DEFAULT_DAYS,
    history_days: Annotated[
        int,
        typer.Option(
            "--history-days",
            min=0,
            help="Days the league plays before the first demo day: built into Phase 2-4 history "
            "(not predicted), so the first days have the look-back predictions need.",
        ),
    ] = DEFAULT_HISTORY_DAYS,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="League seed.", show_default="synthetic.seed from config"),
    ] = None,
    inject: InjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Generate a synthetic season into <home>/raw/synthetic/seed-<S>/, ingest it, build its earlier
    history (Phases 2-4, no predictions), and run every demo day through the orchestrator (gates,
    retries, predictions, grading) on virtual time."""
    started = time.perf_counter()
    context = app_context(ctx)
    faults = check_faults(inject)
    context.home.ensure()
    config = context.settings.synthetic
    if seed is not None:
        config = config.model_copy(update={"seed": seed})
    out_dir = context.home.raw_dir / "synthetic" / f"seed-{config.seed}"
    with context.warehouse() as warehouse:
        with progress("Synthetic history", PREPARE_STEPS, enabled=not as_json) as advance:
            history = prepare_synthetic_history(
                warehouse,
                config,
                days=days,
                history_days=history_days,
                out_dir=out_dir,
                on_step=lambda _description: advance(1),
            )
        data = summary(warehouse, history)
        data["history"] = _build_earlier_history(warehouse, context.settings, history, quiet=as_json)
    league = history.league
    with progress("Season through the orchestrator", league.days, enabled=not as_json) as advance:
        season = run_backfill(
            context.home, context.settings, start=league.first_date, end=league.last_date,
            source=SourceKind.SIM, faults=faults, on_day=lambda _day, _status: advance(1),
        )
    data["pipeline"] = season.to_json()
    data["elapsed_seconds"] = round(time.perf_counter() - started, 3)

    def render(console: Console) -> None:
        _render(console, data)
        render_season(console, data["pipeline"])
        console.print(f"{data['elapsed_seconds']} s in all. Next: `nbaprops status`, `nbaprops health`, "
                      "`nbaprops investigate grading --date D`.")

    emit(data, as_json=as_json, render=render)
    if not season.outcome.ok:
        raise typer.Exit(1)


def _build_earlier_history(
    warehouse: Warehouse, settings: Settings, history: SyntheticHistory, *, quiet: bool
) -> dict[str, Any]:
    """Phases 2-4 of the days before the first demo day, unless a run on the same files built
    them already; what was built."""
    league = history.league
    started = time.perf_counter()
    source = ReplaySource(warehouse, settings.replay)
    game_dates = source.game_dates(league.history_start, league.first_date - timedelta(days=1))
    reuse = history.unchanged and history_built(warehouse, game_dates)
    with progress("Earlier history, Phases 2-4", len(game_dates), enabled=not quiet and not reuse) as advance:
        runs = [] if reuse else build_history(
            warehouse=warehouse,
            source=source,
            settings=settings,
            game_dates=game_dates,
            on_day=lambda _day: advance(1),
        )
    return {
        "first_date": game_dates[0].isoformat() if game_dates else None,
        "last_date": game_dates[-1].isoformat() if game_dates else None,
        "game_days": len(game_dates),
        "built": not reuse,
        "processor_runs": len(runs),
        "partial_runs": sum(run.status == "partial" for run in runs),
        "seconds": round(time.perf_counter() - started, 3),
    }


def summary(warehouse: Warehouse, history: SyntheticHistory) -> dict[str, Any]:
    """What was generated and what the warehouse now holds from these files."""
    league = history.league
    totals = history.ingest.to_json()["totals"]

    def loaded(table_name: str, path_key: str) -> int:
        return int(
            warehouse.scalar(
                f"SELECT count(*) FROM nba_raw.{table_name} WHERE source_key = ?", [path_key]
            )
        )

    keys = {path.name: str(path.resolve()) for path in league.paths}
    lines = warehouse.query(
        "SELECT market, count(*) AS n FROM nba_raw.history_prop_lines WHERE source_key = ? "
        "GROUP BY market ORDER BY market",
        [keys[league.prop_lines.name]],
    )
    return {
        "seed": league.seed,
        "season": league.season,
        "history_days": league.history_days,
        "history_start": league.history_start.isoformat(),
        "days": league.days,
        "first_date": league.first_date.isoformat(),
        "last_date": league.last_date.isoformat(),
        "out_dir": str(league.team_game_logs.parent),
        "teams": league.teams,
        "players": league.players,
        "games": loaded("history_games", keys[league.team_game_logs.name]),
        "team_box_rows": loaded("history_team_boxscores", keys[league.team_game_logs.name]),
        "player_box_rows": loaded("history_player_boxscores", keys[league.player_game_logs.name]),
        "prop_lines": {row["market"]: int(row["n"]) for row in lines},
        "injuries": loaded("history_injuries", keys[league.injuries.name]),
        "late_line_days": sum(day >= league.first_date for day in league.late_line_dates),
        "rows_loaded": totals["rows_loaded"],
        "rows_quarantined": totals["rows_quarantined"],
        "files": [
            {
                key: report[key]
                for key in (
                    "path",
                    "format",
                    "status",
                    "rows_loaded",
                    "rows_quarantined",
                    "match_rate",
                    "error",
                )
            }
            for report in history.ingest.to_json()["files"]
        ],
        "generate_seconds": round(history.generate_seconds, 3),
        "ingest_seconds": round(history.ingest_seconds, 3),
    }


def _render(console: Console, data: dict[str, Any]) -> None:
    after_history = (
        f" after {data['history_days']} days of earlier history from {data['history_start']}"
        if data["history_days"]
        else ""
    )
    console.print(
        f"Synthetic season {data['season']} (seed {data['seed']}): {data['days']} days "
        f"{data['first_date']} .. {data['last_date']}{after_history}, "
        f"{data['teams']} teams, {data['players']} players"
    )
    console.print(
        table(
            "Loaded into the warehouse",
            ("what", "rows"),
            [
                ("games", data["games"]),
                ("team box scores", data["team_box_rows"]),
                ("player box scores", data["player_box_rows"]),
                *((f"prop lines: {market}", count) for market, count in data["prop_lines"].items()),
                ("injury report entries", data["injuries"]),
                ("quarantined rows", data["rows_quarantined"]),
            ],
        )
    )
    console.print(
        table(
            "Files",
            ("file", "format", "status", "rows", "quarantined"),
            [
                (
                    Path(f["path"]).name,
                    f["format"],
                    f["status"],
                    f["rows_loaded"],
                    f["rows_quarantined"],
                )
                for f in data["files"]
            ],
        )
    )
    console.print(
        f"{data['late_line_days']} days with late lines; "
        f"generated in {data['generate_seconds']:.1f}s, ingested in {data['ingest_seconds']:.1f}s, "
        f"{data['elapsed_seconds']:.1f}s in all; files in {data['out_dir']}"
    )
    earlier = data["history"]
    if earlier["game_days"]:
        days = f"Earlier history: {earlier['game_days']} game days {earlier['first_date']} .. {earlier['last_date']}"
        if earlier["built"]:
            console.print(
                f"{days} built through Phase 4 without predictions ({earlier['processor_runs']} "
                f"processor runs, {earlier['partial_runs']} partial) in {earlier['seconds']:.1f}s"
            )
        else:
            console.print(f"{days} already built through Phase 4 from these files")
