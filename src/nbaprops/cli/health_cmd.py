"""`nbaprops health [--date D] [--as-of T] [--json] [--notify]`: exit 0, 1 warning, 2 critical."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from nbaprops.alerting import EngineResult
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date, parse_instant
from nbaprops.clock import SystemClock
from nbaprops.errors import UsageError
from nbaprops.ops import (
    ClockKind,
    HealthClock,
    HealthReport,
    HealthSection,
    HealthStatus,
    check_health,
    home_clock,
    send_health_alerts,
)
from nbaprops.orchestration.breakers import open_breakers
from nbaprops.orchestration.workers import read_workers
from nbaprops.reliability.alerts_sent import note_sent_alerts

_STYLE = {
    HealthStatus.OK: "green",
    HealthStatus.WARNING: "yellow",
    HealthStatus.CRITICAL: "red",
}
_SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "critical": "red"}


def health(
    ctx: typer.Context,
    game_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Game date to check, YYYY-MM-DD.",
            show_default="today (US Eastern), or the latest date with predictions or runs",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Check as things stood at this UTC instant (YYYY-MM-DDTHH:MM), instead of the "
            "clock the home's runs kept.",
            show_default="now on the wall clock; on a home of replayed or simulated runs, the "
            "latest instant of their virtual time",
        ),
    ] = None,
    notify: Annotated[
        bool,
        typer.Option("--notify", help="Send the firing alerts through the alert channels."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Predictions, Phase 3, grading, recent errors, data freshness and stuck work of one
    game_date, each ok, warning or critical. Exits 0 healthy, 1 warning, 2 critical, so cron
    can act on it."""
    if notify and as_of is not None:
        raise UsageError(
            "--notify sends what is wrong now and cannot be combined with --as-of; "
            "drop one of them."
        )
    day = parse_date(game_date, "--date") if game_date is not None else None
    given = parse_instant(as_of, "--as-of") if as_of is not None else None
    context = app_context(ctx)
    settings = context.settings
    with context.warehouse(read_only=not notify) as warehouse:
        clock = (
            HealthClock(ClockKind.WALL, SystemClock().now(), "--notify sends what is wrong now")
            if notify
            else home_clock(warehouse, wall_now=SystemClock().now(), as_of=given, game_date=day)
        )
        # The executors as they are now: an --as-of check is about a past instant, they are not.
        workers = read_workers(context.home, settings) if given is None else None
        report = check_health(warehouse, game_date=day, now_utc=clock.now_utc, settings=settings,
                              breakers_open=open_breakers(context.home, settings), workers=workers)
        result = (
            send_health_alerts(
                report,
                warehouse=warehouse,
                settings=settings,
                home_root=context.home.root,
                clock=SystemClock(),
            )
            if notify
            else None
        )
        if result is not None:
            note_sent_alerts(warehouse, [a for sent in result.sent if sent.ok for a in sent.notification.firing])
    data = {**report.to_json(), "clock": clock.to_json()}
    if result is not None:
        data["notify"] = _notify_json(result, channels=len(settings.alerting.channels))
    emit(data, as_json=as_json, render=lambda console: _render(report, clock, result, data, console))
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _notify_json(result: EngineResult, *, channels: int) -> dict[str, Any]:
    return {
        "channels": channels,
        "statuses": {fp: status.value for fp, status in result.statuses.items()},
        "sent": [
            {
                "channel": sent.channel,
                "ok": sent.ok,
                "title": sent.notification.title,
                "firing": [alert.name for alert in sent.notification.firing],
                "resolved": [alert.name for alert in sent.notification.resolved],
            }
            for sent in result.sent
        ],
        "held_groups": list(result.held_groups),
    }


def _render(
    report: HealthReport,
    clock: HealthClock,
    result: EngineResult | None,
    data: dict[str, Any],
    console: Console,
) -> None:
    console.print(
        f"[bold]Health of {report.game_date}[/bold] ({escape(report.date_reason)}) as of "
        f"{report.now_utc:%Y-%m-%d %H:%M} UTC"
    )
    console.print(escape(clock.header), soft_wrap=True)
    for section in report.sections:
        console.print(_panel(section))
    if report.alerts:
        rows = [
            (
                f"[{_SEVERITY_STYLE[a.severity.value]}]{a.severity.value}[/]",
                escape(a.name),
                escape(a.message) + (" (retry pending)" if a.retry_pending else ""),
            )
            for a in report.alerts
        ]
        alerts = table("Alerts firing", ("severity", "alert", "message"), [])
        for row in rows:
            alerts.add_row(*row)
        console.print(alerts)
    if result is not None:
        _render_notify(result, data["notify"], console)
    if report.dashboard_url:
        console.print(f"Dashboard: {report.dashboard_url}", highlight=False, soft_wrap=True)
    style = _STYLE[report.status]
    # One unwrapped line, so logs and greps of cron output see the whole verdict.
    console.print(Text(report.headline, style=f"bold {style}"), soft_wrap=True)


def _panel(section: HealthSection) -> Panel:
    style = _STYLE[section.status]
    parts: list[Any] = [Text(section.reason)]
    if section.rows:
        rows = [[_cell(value) for value in row] for row in section.rows]
        parts.append(table("", section.columns, rows))
    return Panel(
        Group(*parts),
        title=f"[bold]{escape(section.title)}[/bold] [{style}]{section.status.value.upper()}[/]",
        title_align="left",
        border_style=style,
    )


def _render_notify(result: EngineResult, notified: dict[str, Any], console: Console) -> None:
    if not notified["channels"]:
        console.print("--notify: no alert channels are configured ([[alerting.channels]]).")
        return
    if not result.sent:
        console.print(
            f"--notify: nothing new to send ({len(result.statuses)} alert(s) tracked; "
            "already notified, silenced, inhibited or waiting for their group interval)."
        )
        return
    rows = [
        (escape(s.channel), "ok" if s.ok else "FAILED", escape(s.notification.title))
        for s in result.sent
    ]
    console.print(table("Notifications sent", ("channel", "result", "title"), rows))


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return value
