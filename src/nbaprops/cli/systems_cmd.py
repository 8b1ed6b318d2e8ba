"""`nbaprops systems list|promote|rollback`: prediction systems' versions, roles and records per market;
operators' promotions and rollbacks, recorded as manual interventions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date
from nbaprops.orchestration.interventions import record_intervention
from nbaprops.orchestration.system_alerts import raise_system_alerts
from nbaprops.predictions.systems import SYSTEM_IDS
from nbaprops.processors.system_roles import SystemDecision, read_decisions
from nbaprops.processors.systems_review import promote as promote_system
from nbaprops.processors.systems_review import rollback as rollback_system
from nbaprops.state import SystemRecord, read_system_records

app = typer.Typer(help="Prediction systems per market: versions, roles (champion, canary, shadow, retired), records.",
                  no_args_is_help=True)
MarketOption = Annotated[str, typer.Option("--market", help="The market, e.g. points.")]
DateOption = Annotated[str | None, typer.Option("--date", help="The game_date it takes effect from (default: today).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why, stored with the decision.")]


@app.command("list")
def list_systems(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Record from this game_date (default: all).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Per market, each system's version, role and since when, and its graded record on the champion's rows."""
    context = app_context(ctx)
    with context.warehouse(read_only=True) as warehouse:
        records = (read_system_records(warehouse) if since is None
                   else read_system_records(warehouse, since=parse_date(since, "--since")))
        decisions = read_decisions(warehouse)[-10:]
    data: dict[str, Any] = {"markets": {}, "decisions": [_decision_json(row) for row in decisions]}
    for record in records:
        data["markets"].setdefault(record.market, []).append(record.to_json())
    emit(data, as_json=as_json, render=lambda console: _render(console, records))


def _render(console: Console, records: list[SystemRecord]) -> None:
    if not records:
        console.print("No system has a role yet: roles are set when a day's predictions first run.")
        return
    for market in dict.fromkeys(record.market for record in records):
        rows = [_row(record) for record in records if record.market == market]
        console.print(table(f"Systems in {market} (record on the champion's rows)",
                            ["system", "version", "role", "since", "n", "hit rate [95%]", "Brier", "champion",
                             "market", "ROI"], rows))


def _row(record: SystemRecord) -> list[str]:
    role = record.role if record.picks_disabled is None else f"{record.role} (picks off)"
    since = record.since_game_date.isoformat() if record.since_game_date else f"{record.since:%Y-%m-%d} (config)"
    hit = "-" if record.hit_rate is None else (
        f"{record.hit_rate:.1%} [{record.hit_low:.1%}, {record.hit_high:.1%}] of {record.bets}")
    return [record.system_id, record.version or "-", role, since, str(record.rows), hit, _score(record.brier),
            _score(record.champion_brier), _score(record.market_brier),
            "-" if record.roi is None else f"{record.roi:+.1%}"]


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _decision_json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in row.items()}


@app.command("promote")
def promote(ctx: typer.Context, system: Annotated[str, typer.Argument(help="The system to make champion.")],
            market: MarketOption, game_date: DateOption = None, reason: ReasonOption = "operator's promotion",
            as_json: JsonOption = False) -> None:
    """Make SYSTEM the champion of the market (the champion it replaces turns shadow); promoting the
    champion itself lets it pick again after decay stopped it."""
    _decide(ctx, "promote", system, market, game_date, reason, as_json)


@app.command("rollback")
def rollback(ctx: typer.Context, system: Annotated[str, typer.Argument(help="The canary to send back to shadow.")],
             market: MarketOption, game_date: DateOption = None, reason: ReasonOption = "operator's rollback",
             as_json: JsonOption = False) -> None:
    """Send SYSTEM (a canary) back to shadow in the market."""
    _decide(ctx, "rollback", system, market, game_date, reason, as_json)


def _decide(ctx: typer.Context, command: str, system: str, market: str, game_date: str | None, reason: str,
            as_json: bool) -> None:
    context = app_context(ctx)
    now = datetime.now(UTC)
    day = now.date() if game_date is None else parse_date(game_date, "--date")
    decide = promote_system if command == "promote" else rollback_system
    system_ids = (*SYSTEM_IDS, *sorted(context.settings.systems.variants))
    with context.warehouse() as warehouse:
        decision: SystemDecision = decide(warehouse, context.settings.systems, market=market, system_id=system,
                                          system_ids=system_ids, game_date=day, now=now, reason=reason)
        record_intervention(warehouse, command=f"systems {command}", target=f"{system}:{market}", game_date=day,
                            details=reason)
        raise_system_alerts(warehouse, now=now)
    emit(decision.to_json(), as_json=as_json, render=lambda console: console.print(
        f"{system} in {market}: {decision.from_role} -> {decision.to_role} ({command} by an operator)."))
