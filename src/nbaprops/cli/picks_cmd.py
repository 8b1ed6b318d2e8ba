"""`nbaprops picks --date D`: the day's recommendations, the command a user opens every day."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from nbaprops import suggestions
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date
from nbaprops.errors import UsageError
from nbaprops.state import DayPick, DayPicks, picks_csv, read_day_picks

EXIT_NO_PREDICTIONS = 1


def picks(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="Game date, YYYY-MM-DD.")],
    show_all: Annotated[bool, typer.Option("--all", help="Also list PASS and NO_LINE, each with its reason.")] = False,
    system: Annotated[
        str | None, typer.Option("--system", help="The system whose picks to show; 'champion': the day's picks "
                                    "(the champion's and the canary's share). Default: [picks] system_id.")
    ] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per pick.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The day's picks: player, team, market, line, side, book, price, probability, fair probability,
    edge, expected value and stake. Exits 0 with picks or without, 1 when the date has no predictions."""
    day = parse_date(game_date, "--date")
    if as_json and as_csv:
        raise UsageError("--json and --csv print different documents; give one of them.")
    context = app_context(ctx)
    system_id = system or context.settings.picks.system_id
    with context.warehouse() as warehouse:
        result = read_day_picks(warehouse, day, system_id=system_id, include_pass=show_all)
    if result.predictions and not result.system_predictions:
        raise UsageError(f"--system {system_id!r} made no prediction on {day}; "
                         f"the day's systems are {', '.join(result.systems)}.")
    problem = _problem(result)
    data = {"game_date": day, "system_id": system_id, "predictions": result.system_predictions,
            "problem": problem, "picks": [pick.to_json() for pick in result.picks]}
    if as_csv:
        typer.echo(picks_csv(result.picks), nl=False)
    else:
        emit(data, as_json=as_json, render=lambda console: _render(console, result, show_all, problem))
    if problem is not None:
        raise typer.Exit(EXIT_NO_PREDICTIONS)


def _problem(result: DayPicks) -> str | None:
    if not result.predictions:
        return (f"No predictions for {result.game_date}: the day has not run. "
                f"Run it with {suggestions.run_day(result.game_date)}.")
    if result.system_predictions and result.unpicked == result.system_predictions:
        return (f"The predictions of {result.game_date} were made before picks were stored; "
                f"run the day again with {suggestions.rerun_day(result.game_date)}.")
    return None


def _render(console: Console, result: DayPicks, show_all: bool, problem: str | None) -> None:
    if problem is not None:
        console.print(escape(problem))
        return
    bets = result.bets
    title = (f"Picks {result.game_date} ({result.system_id}): {len(bets)} of {result.system_predictions} "
             "predictions; stake as a share of the bankroll")
    columns = ["player", "team", "market", "line", "side", "book", "price", "p", "fair p", "edge", "EV", "stake"]
    if show_all:
        columns.append("why not")
    console.print(table(title, columns, [_row(pick, show_all) for pick in result.picks]))
    if not bets:
        hint = "" if show_all else " (--all lists each prediction's reason)"
        console.print(f"No pick today: every prediction passed{hint}.")


def _row(pick: DayPick, show_all: bool) -> list[Any]:
    row: list[Any] = [pick.player, pick.team or "", pick.market, _line(pick.line), pick.side, pick.bookmaker or "",
                      _price(pick.price), _pct(pick.p), _pct(pick.fair_p), _signed(pick.edge), _signed(pick.ev),
                      f"{pick.stake:.2%}" if pick.stake else "-"]
    if show_all:
        row.append(pick.pass_reason or "")
    return row


def _line(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _price(value: int | None) -> str:
    return "-" if value is None else f"{value:+d}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1%}"

