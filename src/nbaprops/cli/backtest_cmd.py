"""`nbaprops backtest`: walk a real season forward on the replay source and report per system."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.backtest import BacktestReport, build_report, run_backtest
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, progress, table
from nbaprops.cli.parsing import parse_date, parse_market
from nbaprops.errors import ConfigError
from nbaprops.ingest import ingest_paths
from nbaprops.sources.replay import ReplaySource
from nbaprops.warehouse import Warehouse


def backtest(
    ctx: typer.Context,
    data: Annotated[
        Path, typer.Option("--data", exists=True, help="Folder or file of real data to ingest and replay.")
    ],
    market: Annotated[str, typer.Option("--market", help="points, rebounds, assists, threes or pra.")],
    start: Annotated[str | None, typer.Option("--start", help="First game date (default: first line).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last game date (default: last line).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest DATA if needed, walk forward day by day with no look-ahead, and report per system."""
    market = parse_market(market)
    first_given = parse_date(start, "--start") if start is not None else None
    last_given = parse_date(end, "--end") if end is not None else None
    context = app_context(ctx)
    started = time.perf_counter()
    with context.warehouse() as warehouse:
        ingest_report = ingest_paths(warehouse, [data])
        first, last = _line_dates(warehouse, data, market)
        first, last = first_given or first, last_given or last
        source = ReplaySource(warehouse, context.settings.replay)
        days = source.game_dates(first, last)
        with progress(f"backtest {market}", len(days), enabled=not as_json) as advance:
            run = run_backtest(warehouse=warehouse, source=source, settings=context.settings, market=market,
                               start=first, end=last, on_day=lambda _day: advance(1))
        report = build_report(warehouse, market=market, start=first, end=last, game_days=len(run.game_dates))
    elapsed = time.perf_counter() - started
    data_json = {
        **report.to_json(),
        "elapsed_seconds": round(elapsed, 2),
        "failed_runs": [f"{r.processor} {r.game_date}" for r in run.failed_runs],
        "ingest": ingest_report.to_json()["totals"],
        "beat_line_mae": _beat_line(report),
    }
    emit(data_json, as_json=as_json, render=lambda console: _render(console, report, data_json))


def _line_dates(warehouse: Warehouse, data: Path, market: str) -> tuple[date, date]:
    prefix = str(data.resolve())
    row = warehouse.query(
        "SELECT min(game_date) AS first, max(game_date) AS last FROM nba_raw.history_prop_lines "
        "WHERE market = $market AND starts_with(source_key, $prefix)", {"market": market, "prefix": prefix})[0]
    if row["first"] is None:
        raise ConfigError(f"No {market} prop lines found under {data}; pick a market the data has lines for.")
    return row["first"], row["last"]


def _beat_line(report: BacktestReport) -> list[str]:
    return [
        system_id for system_id, summary in report.systems.items()
        if summary.mae_prediction is not None and summary.mae_line is not None
        and summary.mae_prediction < summary.mae_line
    ]


def _render(console: Console, report: BacktestReport, data: dict[str, Any]) -> None:
    def row(name: str, s: Any) -> list[Any]:
        low, high = s.hit_rate_interval
        hit = "-" if s.hit_rate is None else f"{s.hit_rate:.1%} [{low:.1%}, {high:.1%}]"
        return [name, s.predictions, s.picks, hit, None if s.roi is None else f"{s.roi:+.1%}",
                s.mae_prediction, s.mae_line, s.brier_score]

    columns = ["system", "predictions", "picks", "hit rate [95% CI]", "ROI", "MAE", "line MAE", "Brier"]
    rows = [row(system_id, s) for system_id, s in report.systems.items()] + [row("overall", report.overall)]
    console.print(table(f"Backtest {report.market} {report.start} .. {report.end} "
                        f"({report.game_days} game days, {data['elapsed_seconds']} s)", columns, rows))
    calibration = [[f"{b.bin_low:.1f}-{b.bin_high:.1f}", b.count, b.mean_predicted, b.observed_rate]
                   for b in report.overall.calibration]
    console.print(table("Calibration (all systems): predicted p_over decile vs observed",
                        ["p_over", "count", "mean predicted", "observed"], calibration))
    beat = data["beat_line_mae"]
    console.print("Systems beating the line's own MAE: " + (", ".join(beat) if beat else "none yet"))
