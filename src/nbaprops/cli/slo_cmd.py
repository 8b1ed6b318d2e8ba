"""`nbaprops slo`: the platform's service level objectives against their targets (exit 1: one missed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date
from nbaprops.reliability.slo import SloMetric, SloReport
from nbaprops.reliability.slo_reading import DEFAULT_DAYS, read_slo

EXIT_MISSED = 1


def slo(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--since", help=f"First game date, YYYY-MM-DD (default: {DEFAULT_DAYS} days before the last)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Recovery rate, time to recovery p50/p95, interventions a week, Phase 3 completion, Phase 3 -> 4
    latency and end-to-end latency per run mode, each against its [slo] target. Exits 1 when one is missed."""
    context = app_context(ctx)
    first = parse_date(since, "--since") if since is not None else None
    with context.warehouse(read_only=True) as warehouse:
        report = read_slo(warehouse, since=first, config=context.settings.slo, today=datetime.now(UTC).date()).report
    emit(report.to_json(), as_json=as_json, render=lambda console: _render(report, console))
    if not report.met:
        raise typer.Exit(EXIT_MISSED)


def _value(metric: SloMetric) -> str:
    if metric.value is None:
        return "-"
    if metric.unit == "ratio":
        return f"{metric.value:.1%}"
    return f"{metric.value:.1f}"


def _target(metric: SloMetric) -> str:
    sign = ">=" if metric.direction == "min" else "<="
    value = f"{metric.target:.0%}" if metric.unit == "ratio" else f"{metric.target:g}"
    return f"{sign} {value}"


def _render(report: SloReport, console: Console) -> None:
    console.print(
        f"SLOs for game dates {report.since} .. {report.until}: {report.incidents_total} incidents "
        f"({report.incidents_open} open)."
    )
    console.print(table(
        "Objectives",
        ["objective", "value", "unit", "target", "samples", "met", "detail"],
        [
            (m.name, _value(m), m.unit, _target(m), m.samples, "yes" if m.met else "MISSED", m.detail)
            for m in report.metrics
        ],
    ))
    if report.met:
        console.print("Every objective is met.")
    else:
        console.print(f"Missed: {', '.join(m.name for m in report.missed)}.")
