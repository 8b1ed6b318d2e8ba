"""`nbaprops ingest PATH...`: load CSV history into the warehouse."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import AppContext, app_context
from nbaprops.cli.output import emit, progress, table
from nbaprops.ingest import (
    WHOLE_LINE,
    FileReport,
    IngestReport,
    expand_paths,
    ingest_paths,
    nothing_to_ingest,
)

EXIT_FAILED = 1
SHOWN_UNMATCHED = 20  # players in the unmatched table; --json lists them all
SHOWN_QUARANTINED = 5  # quarantined lines shown per file; --json lists them all


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="CSV files (.csv, .csv.gz) or folders of them."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Load CSV history files into the warehouse; malformed lines go to nba_raw.quarantine.

    Layouts, recognised by the columns they need (extra columns are ignored and listed; PTS,
    REB, SEASON_ID and GAME_DATE are derived when left out): nbac_team_game_log (nba.com
    LeagueGameLog: SEASON_ID, TEAM_ABBREVIATION, GAME_ID, GAME_DATE, MATCHUP, WL, MIN, PTS, ...);
    player_game_log (player, player_id, date, matchup, minutes, ..., threes_made, ...);
    boxscore_export (Player, Team, Opponent, Date, Minutes, Points, ..., 3PM, TO, ...);
    odds_player_snapshot (player, game, game_time, market, line, bookmaker, over_odds,
    under_odds, optionally bookmaker_last_update, market_last_update);
    odds_event_props (player_name, event_id, event_date, home_team, away_team, bookmaker, line,
    timestamp, over_price, under_price); odds_multi_market (event_id, player, market, line,
    bookmaker, game, game_time, over_odds, under_odds); injury_report (game_date, team, player,
    status, reason, reported_at).

    Re-ingesting an unchanged file changes nothing; a changed file replaces its rows. Exits 1
    when any file failed or had no rows; paths that do not exist create no warehouse.
    """
    report = nothing_to_ingest(paths) or _ingest(app_context(ctx), paths, as_json=as_json)
    emit(report.to_json(), as_json=as_json, render=lambda console: _render(report, console))
    if not report.ok:
        # main.run drops the code of a typer.Exit (standalone_mode=False returns it), so exit here.
        raise SystemExit(EXIT_FAILED)


def _ingest(context: AppContext, paths: list[Path], *, as_json: bool) -> IngestReport:
    with context.warehouse() as warehouse, progress(
        "ingesting files", len(expand_paths(paths)), enabled=not as_json
    ) as advance:
        return ingest_paths(warehouse, paths, on_file=lambda _: advance(1))


def common_folder(paths: list[Path]) -> Path | None:
    """The folder every path lies under, to show shorter paths."""
    if not paths:
        return None
    common = Path(os.path.commonpath(paths))
    if common in set(paths):
        common = common.parent
    return None if common == Path(common.anchor) else common


def _rate(report: FileReport) -> str:
    return "" if report.match_rate is None else f"{report.match_rate:.2%}"


def _render(report: IngestReport, console: Console) -> None:
    folder = common_folder([f.path for f in report.files])

    def shown(path: Path) -> str:
        return escape(str(path.relative_to(folder) if folder else path))

    console.print(table(
        f"Ingested files (under {escape(str(folder))})" if folder else "Ingested files",
        ["path", "format", "status", "loaded", "quarantined", "match rate"],
        [(shown(f.path), f.format or "", f.status, f.rows_loaded, f.rows_quarantined, _rate(f))
         for f in report.files],
    ))
    unmatched = Counter(name for f in report.files for name in f.unmatched_players)
    if unmatched:
        top = unmatched.most_common(SHOWN_UNMATCHED)
        console.print(table(
            "Prop-line players without box scores in the same season",
            ["player", "files"], [(escape(name), files) for name, files in top],
        ))
        if len(unmatched) > len(top):
            console.print(f"(+{len(unmatched) - len(top)} more players; --json lists them all)")
    for f in report.files:
        if f.extra_columns:
            console.print(f"{shown(f.path)}: extra columns ignored: {escape(', '.join(f.extra_columns))}")
        if f.derived_columns:
            console.print(f"{shown(f.path)}: columns derived: {escape(', '.join(f.derived_columns))}")
    for f in report.files:
        if f.quarantined:
            _render_quarantined(console, f, shown(f.path))
    for failed in (f for f in report.files if f.failed):
        console.print(f"[red]{failed.status}[/red] {shown(failed.path)}: {escape(failed.error or '')}")
    totals = report.to_json()["totals"]
    console.print(
        f"{totals['files']} file(s): {totals['loaded']} loaded, {totals['unchanged']} unchanged, "
        f"{totals['failed']} failed; {totals['rows_loaded']} rows loaded, "
        f"{totals['rows_quarantined']} quarantined."
    )


def _render_quarantined(console: Console, report: FileReport, shown: str) -> None:
    first = report.quarantined[:SHOWN_QUARANTINED]
    console.print(table(
        f"Quarantined in {shown}: {len(first)} of {len(report.quarantined)}",
        ["line", "field", "reason"],
        [(q.line_number, q.field or WHOLE_LINE, q.reason) for q in first],
    ))
    if len(first) < len(report.quarantined):
        console.print(
            f"(`nbaprops quarantine list --file {shown}` or --json lists all)")
